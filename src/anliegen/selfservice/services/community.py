"""Community actions: ask and answer in public (masked, rate-limited, first posts moderated), moderate, accept,
and turn a thread into an article draft or a private case through intake (same owner rules as any contact)."""

from __future__ import annotations

import json
import re

from django.db import transaction
from django.utils.translation import gettext as _

from anliegen.base import ratelimit
from anliegen.core.models import Agent, Brand, Case, Membership
from anliegen.core.services.language import mask_personal_data

from ..models import Answer, ArticleVersion, Thread
from ..models.community import Post
from . import articles

POST_RATE = ratelimit.Rate(5, 3600)
LINK = re.compile(r"https?://|www\.", re.I)
MAX_LINKS = 2


class CommunityError(ValueError):
    """A post the community does not take (too many, not allowed); the message is shown to the writer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _known_poster(brand: Brand, email: str) -> bool:
    """Someone with a published post in this brand's community: their posts need no moderation first."""
    email = email.lower()
    return (
        Thread.objects.filter(brand=brand, author_email__iexact=email, state=Post.PUBLISHED).exists()
        or Answer.objects.filter(thread__brand=brand, author_email__iexact=email, state=Post.PUBLISHED).exists()
    )


def _screen(brand: Brand, text: str, email: str, ip: str) -> tuple[str, list[str], str]:
    """(masked text, flags, state) of a customer's post; raises CommunityError when over the rate limit."""
    if not ratelimit.consume("community-ip", [ip], POST_RATE) or not ratelimit.consume(
        "community-mail", [email], POST_RATE
    ):
        raise CommunityError(_("Too many posts in a short time. Please try again later."), status=429)
    masked, found = mask_personal_data(text)
    flags = list(found)
    if len(LINK.findall(text)) > MAX_LINKS:
        flags.append("links")
    if not _known_poster(brand, email):
        flags.append("first_post")
    state = Post.PENDING if ("links" in flags or "first_post" in flags) else Post.PUBLISHED
    return masked, flags, state


def check_ask(brand: Brand, *, language: str, title: str, body: str, name: str, email: str, ip: str) -> Thread:
    masked, flags, state = _screen(brand, f"{title}\n{body}", email, ip)
    masked_title, _rest = mask_personal_data(title)
    masked_body = masked.split("\n", 1)[1] if "\n" in masked else masked
    return Thread.objects.create(
        brand=brand, language=language, title=masked_title[:200], body=masked_body, author_name=name[:80],
        author_email=email, state=state, flags=flags,
    )  # fmt: skip


def check_answer(
    thread: Thread, *, body: str, name: str = "", email: str = "", ip: str = "", agent: Agent | None = None
) -> Answer:
    if thread.state != Post.PUBLISHED:
        raise CommunityError(_("This question is not open for answers."))
    if agent is not None:
        # The brand speaks: published at once, marked official; still masked (a public page).
        masked, found = mask_personal_data(body)
        return Answer.objects.create(thread=thread, body=masked, author_name=agent.name, agent=agent,
                                     state=Post.PUBLISHED, flags=found)  # fmt: skip
    masked, flags, state = _screen(thread.brand, body, email, ip)
    return Answer.objects.create(thread=thread, body=masked, author_name=name[:80], author_email=email, state=state,
                                 flags=flags)  # fmt: skip


def may_moderate(agent: Agent, brand_id: int) -> bool:
    return Membership.objects.filter(agent=agent, brand_id=brand_id).exists()


def do_moderate(post: Thread | Answer, approve: bool) -> None:
    post.state = Post.PUBLISHED if approve else Post.REJECTED
    post.save(update_fields=["state"])


def do_accept(thread: Thread, answer: Answer) -> None:
    if answer.thread_id != thread.pk or answer.state != Post.PUBLISHED:
        raise CommunityError(_("Only a published answer of this question can be accepted."))
    Thread.objects.filter(pk=thread.pk).update(accepted=answer)
    thread.accepted = answer


@transaction.atomic
def do_to_article(thread: Thread, agent: Agent) -> ArticleVersion:
    """A draft article from the question and its accepted (else official) answer; it goes to review as usual."""
    best = thread.accepted or thread.answers.filter(state=Post.PUBLISHED, agent__isnull=False).first()
    if best is None:
        raise CommunityError(_("The question needs an accepted or official answer first."))
    from django.utils.html import escape, linebreaks

    body = linebreaks(escape(thread.body)) + linebreaks(escape(best.body))
    version = articles.do_draft(thread.brand, agent, title=thread.title, body=body, language=thread.language)
    articles.do_submit(version)
    Thread.objects.filter(pk=thread.pk).update(article=version.article)
    return version


def do_to_case(thread: Thread, agent: Agent) -> Case:
    """A private case for the asker, through intake like a web form: routing, owner and confirmation as always."""
    from anliegen.channels.webform.inbound import CHANNEL
    from anliegen.intake.accept import accept
    from anliegen.intake.models import Inbound

    if thread.case_id:
        return thread.case
    raw = json.dumps({"name": thread.author_name, "email": thread.author_email, "phone": "", "subject": thread.title,
                      "text": thread.body, "language": thread.language}).encode()  # fmt: skip
    accepted = accept(CHANNEL, f"community-{thread.pk}", raw, {"submission": f"community-{thread.pk}",
                                                                  "community_thread": thread.pk}, brand_id=thread.brand_id)  # fmt: skip
    from anliegen.intake.pipeline import process_ids

    process_ids([accepted.inbound_id])  # at once: the agent is waiting for the case (a no-op if it ran already)
    inbound = Inbound.objects.get(pk=accepted.inbound_id)
    case = Case.objects.get(pk=inbound.case_id)
    Thread.objects.filter(pk=thread.pk).update(case=case)
    return case
