"""The confirmation a customer gets at once: the owner's name, direct address and extension, and when."""

from __future__ import annotations

import logging
import re
from datetime import timedelta
from typing import TYPE_CHECKING

from django.utils import timezone, translation

from anliegen.base import batch
from anliegen.channels import registry
from anliegen.core.case_links import case_url, status_url
from anliegen.core.models import Brand, Case, Contact, IdentityKind, Message, MessageKind

from . import contacts, outbound, template_parts

if TYPE_CHECKING:
    from anliegen.base.parsed import ParsedMessage

log = logging.getLogger(__name__)
# Addresses nobody reads: a confirmation there is lost at best and a loop at worst.
NO_REPLY = re.compile(r"^(no[-_.]?reply|do[-_.]?not[-_.]?reply|donotreply|dont[-_.]?reply|noreply[-_.+][^@]*)@", re.I)
# A customer who sends three mails in a minute gets one confirmation, not three.
FOLLOW_UP_QUIET = timedelta(minutes=15)


def confirmation_context(case: Case) -> dict:

    owner = case.owner
    incident = case.incident
    language = case.language or case.brand.default_language
    return {
        "case": case,
        "owner": owner,
        "brand": case.brand,
        "contact": case.contact,
        "reply_address": owner.reply_address(case.brand, case.reply_token),
        "extension": owner.extension,
        "hotline": case.brand.hotline,
        "due": case.answer_due_at,
        "case_url": case_url(case),
        "incident": incident,
        **(_incident_context(case, incident, language) if incident is not None else {}),
        **registry.confirmation_extras(case, language),  # e.g. the phone's honest wait beside the answer
    }


def _incident_context(case: Case, incident: object, language: str) -> dict:
    """What the customer reads about a linked incident: its public title and text, the status page."""
    return {
        "incident_title": incident.public_title(language),
        "incident_text": incident.public_text(language) if incident.public else "",
        "status_url": status_url(case.brand) if incident.public else "",
    }


def render(case: Case, template: str, extra: dict | None = None) -> tuple[str, str]:
    context = confirmation_context(case) | (extra or {})
    with translation.override(case.language or case.brand.default_language):
        return _render(template, context)


def _render(template: str, context: dict) -> tuple[str, str]:
    # Both parts from one context dict, each filled into its skeleton for this language and shape
    # (template_parts: the same text as Django's render, without rendering the whole template per mail).
    memo: dict = {}
    text = template_parts.render(f"confirmations/{template}.txt", context, memo).strip() + "\n"
    html = template_parts.render(f"confirmations/{template}.html", context, memo)
    return text, html


def confirm(
    case: Case,
    msg: ParsedMessage,
    *,
    channel: str,
    brand: Brand,
    contact: Contact | None,
    stored: Message | None = None,
    new_case: bool = False,
    new_contact: bool = False,
    reopened: bool = False,
) -> list[Message]:
    """Queue the confirmation of `msg`, which arrived on `channel` and is stored as `stored` on `case`.

    `contact` wrote it (made just now when `new_contact`); `new_case`/`reopened` say what it did to the case.
    """
    if case.brand_id == brand.pk and not Case.brand.is_cached(case):
        case.brand = brand  # the batch's instance of the same row, not read again for each follow-up's case
    target = _confirmation_channel(msg, channel, brand, contact, new_contact)
    if target is None:
        return []
    if not new_case and _recently_confirmed(case, target[1]):
        return []
    template = "new_case" if new_case else "follow_up"
    public = registry.spec(target[0]).public
    if public:
        template = f"public_{template}"  # a few words in public, the rest privately through the link
    extra: dict = {"reopened": reopened, "first_name": (case.contact.name or "").split(" ")[0]}
    if contact is None or contact.pk != case.contact_id:
        # Someone else wrote into the thread: they get a confirmation, not the key to the customer's case page.
        extra["case_url"] = ""
    context = confirmation_context(case) | extra
    limit = registry.spec(target[0]).confirm_length or registry.spec(target[0]).max_length
    with translation.override(case.language or case.brand.default_language):
        # A text message carries no mail: one paragraph, cut to fit the channel (the owner's name always stays).
        text, html = (_short(template, context, limit), "") if limit and not public else _render(template, context)
        subject = _subject(case, new_case)
    if public and (text := _public(case, text, target)) is None:
        return []
    # Only an id the customer's side knows (a Message-ID) can be answered; a form submission id is not one.
    quotes = stored is not None and registry.spec(channel).quotes_external_id
    message = outbound.new_message(
        case,
        channel=target[0],
        address=target[1],
        author=case.owner,
        kind=MessageKind.CONFIRMATION,
        subject=subject,
        text=text,
        html="" if public else html,
        in_reply_to=stored.external_id if quotes else "",
    )
    return [message]


def _short(template: str, context: dict, limit: int) -> str:
    """The confirmation in one paragraph; without subject, mail address and link when that is too long."""
    for compact in (False, True):
        text = " ".join(
            template_parts.render(f"confirmations/{template}.short.txt", context | {"compact": compact}).split()
        )
        if len(text) <= limit:
            return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _public(case: Case, text: str, channel: tuple[str, str]) -> str | None:
    """The public confirmation as the public-reply rules pass it (with its continuation link), else none."""
    from .cases import CaseError

    try:
        return registry.prepare_public(channel[0], case, case.owner, text, channel[1])
    except CaseError as exc:  # the rules' PublicReplyError
        log.warning("case %s: no public confirmation: %s", case.pk, exc)
        return None


def _subject(case: Case, new: bool) -> str:
    from django.utils.translation import gettext as _

    return (_("Your request: %(subject)s") if new else _("Re: %(subject)s")) % {"subject": case.subject}


def _confirmation_channel(
    msg: ParsedMessage, channel: str, brand: Brand, contact: Contact | None, new_contact: bool
) -> tuple[str, str] | None:
    """(channel, address) to confirm on, as the channel's spec says (a form is confirmed by e-mail).

    A mail's Reply-To wins unless it is ours; a no-reply address gets no confirmation at all.
    """
    via = registry.spec(channel).confirm
    if not via:
        return None  # e.g. the case page: the customer is looking at it, and it shows the confirmation
    kind = registry.identity_kind(via)
    if via == channel and (address := _reply_to(msg, brand)):
        return (via, address)  # only a mail names a Reply-To
    if new_contact or via != channel:
        # A new contact's only address of that kind is the one used. A channel confirmed elsewhere (the form)
        # is confirmed only at the address typed into it: the thanks page names where the confirmation went,
        # and whoever typed a known address must not learn the contact's others.
        address = _sender_identity(msg, kind)
    else:
        identity = contacts.primary(contact, kind)
        address = identity.value if identity else ""
    if not address or (kind == IdentityKind.EMAIL and NO_REPLY.match(address)):
        return None
    return (via, address)


def _reply_to(msg: ParsedMessage, brand: Brand) -> str:
    """The mail's Reply-To, unless it points back at us (a loop) or cannot be answered."""
    value = msg.reply_to
    if not value or NO_REPLY.match(value):
        return ""
    domain = value.rpartition("@")[2]
    if domain == (brand.mail_domain or "").lower() or value == (brand.support_address or "").lower():
        return ""
    try:
        return contacts.normalise(IdentityKind.EMAIL, value)
    except ValueError:
        return ""


def _sender_identity(msg: ParsedMessage, wanted: str) -> str:
    for kind, value in msg.identities:
        if kind == wanted:
            try:
                return contacts.normalise(kind, value)
            except ValueError:
                continue  # resolve skipped it too
    return ""


def _recently_confirmed(case: Case, address: str) -> bool:
    since = timezone.now() - FOLLOW_UP_QUIET
    known = batch.confirmed_since(case.pk, address, since)
    if known is not None:
        return known  # the batch read the case's confirmations, and knows the ones it made
    batch.before_read([("confirmed", case.pk, address)])
    return Message.objects.filter(
        case=case, kind=MessageKind.CONFIRMATION, address=address, created_at__gte=since
    ).exists()
