"""Telling passive customers before they ask: an incident update or a tip, posted on the brand's public accounts.

Each account that posts updates (Account.posts_updates) gets one PublicPost per update, posted by a task with
retries like a message; the provider's id is kept, so that a reply to the post is linked to its incident.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from anliegen.base import batch
from anliegen.channels import registry
from anliegen.core.models import Brand, Incident

from . import transport
from .models import Account, Provider, PublicPost

log = logging.getLogger(__name__)
RETRY_DELAYS = [30, 120, 600, 1800, 3600]
PREFIX = {Provider.X: "x.tweet.", Provider.FACEBOOK: "meta.post."}


def publish_update(update: object) -> list[PublicPost]:
    """Post an incident update (a public incident's) on the brand's accounts; once per account and update."""
    from anliegen.core.case_links import status_url

    incident = update.incident
    if not incident.public:
        return []
    language = incident.brand.default_language
    with translation.override(language):
        title = incident.public_title(language)
        if update.kind == "opened":
            head = _("Known problem: %(title)s.")
        elif update.kind == "resolved":
            head = _("Resolved: %(title)s") + "."
        else:
            head = _("Update: %(title)s") + "."
        body = f"{head % {'title': title}} {update.public_text(language)}"
    return _publish(incident.brand, PublicPost.Kind.INCIDENT, body, status_url(incident.brand), incident, update)


def publish_tip(brand: Brand, text: str, link: str = "") -> list[PublicPost]:
    return _publish(brand, PublicPost.Kind.TIP, text, link, None, None)


def _publish(
    brand: Brand, kind: str, body: str, link: str, incident: Incident | None, update: object | None
) -> list[PublicPost]:
    posts = []
    channels = {s.posts: s for s in registry.specs() if s.posts}  # whose length limit a post keeps
    for account in Account.objects.filter(brand=brand, active=True, posts_updates=True, provider__in=list(channels)):
        if update is not None and PublicPost.objects.filter(account=account, update=update).exists():
            continue
        text = _fit(body, link, channels[account.provider])
        post = PublicPost.objects.create(account=account, kind=kind, incident=incident, update=update, text=text)
        _enqueue(post.pk)
        posts.append(post)
    return posts


def _enqueue(post_id: int) -> None:
    if settings.TASKS["default"]["BACKEND"].startswith("django_tasks_db"):
        post_now.enqueue(post_id)  # the task row commits with the post
    else:
        transaction.on_commit(lambda: post_now.enqueue(post_id))


def _fit(body: str, link: str, spec: registry.ChannelSpec) -> str:
    """The text with its link, cut at a word so it fits the channel (which may count a link shorter: X, 23)."""
    link_length = (spec.link_length or len(link)) if link else 0
    room = (spec.max_length or 1000) - (link_length + 1 if link else 0)
    body = " ".join(body.split())
    if len(body) > room:
        body = body[: room - 1].rsplit(" ", 1)[0] + "…"
    return f"{body} {link}" if link else body


@task(queue_name="outbound")
def post_now(post_id: int) -> str:
    post = PublicPost.objects.select_related("account").filter(pk=post_id, state=PublicPost.State.QUEUED).first()
    if post is None:
        return "nothing to do"
    try:
        posted = transport.send(transport.Outgoing(post.account, transport.POST, "", post.text))
    except Exception as exc:  # noqa: BLE001 - recorded on the post, retried or failed
        return _failed(post, exc)
    PublicPost.objects.filter(pk=post.pk).update(
        state=PublicPost.State.POSTED, external_id=f"{PREFIX[post.account.provider]}{posted}",
        posted_at=timezone.now(), error="", attempts=post.attempts + 1,
    )  # fmt: skip
    return "posted"


def _failed(post: PublicPost, exc: Exception) -> str:
    attempts = post.attempts + 1
    error = f"{type(exc).__name__}: {exc}"[:2000]
    if attempts > len(RETRY_DELAYS) or getattr(exc, "permanent", False):
        PublicPost.objects.filter(pk=post.pk).update(state=PublicPost.State.FAILED, error=error, attempts=attempts)
        log.error("public post %s failed for good: %s", post.pk, error)
        return "failed"
    PublicPost.objects.filter(pk=post.pk).update(error=error, attempts=attempts)
    post_now.using(run_after=timezone.now() + timedelta(seconds=RETRY_DELAYS[attempts - 1])).enqueue(post.pk)
    return "retry"


def _replied_in_batch(scope: batch.Batch, brand_id: int, in_reply_to: list[str]) -> Incident | None:
    """incident_replied_to for a message of an intake batch: the posts every message of it answers, read once."""
    if scope.posts is None:
        rows = PublicPost.objects.filter(external_id__in=scope.replied_to, incident__isnull=False)
        scope.posts = {}
        for post in rows.select_related("incident", "account").order_by("-pk"):
            scope.posts[(post.account.brand_id, post.external_id)] = (post.pk, post.incident)
    found = [scope.posts[(brand_id, i)] for i in in_reply_to if (brand_id, i) in scope.posts]
    return min(found, key=lambda row: row[0])[1] if found else None


def incident_replied_to(brand_id: int, in_reply_to: list[str]) -> Incident | None:
    """The incident of the brand's post a message answers (a reply to the update tweet), if any."""
    if not in_reply_to:
        return None
    scope = batch.current()
    if scope is not None and scope.replied_to is not None and scope.replied_to.issuperset(in_reply_to):
        return _replied_in_batch(scope, brand_id, in_reply_to)
    post = (
        PublicPost.objects.filter(account__brand_id=brand_id, external_id__in=in_reply_to, incident__isnull=False)
        .select_related("incident")
        .first()
    )
    return post.incident if post is not None else None
