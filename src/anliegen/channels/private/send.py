"""Send a case's message to its contact on one private channel (WhatsApp, Telegram, SMS), and nowhere else.

The customer picked the channel (the private-continuation link, the desk): unlike a desk reply, which falls back
to e-mail, this refuses when the contact has no deliverable identity there or the channel may not carry free
text now (WhatsApp's 24 hours), so the caller can tell the customer instead of sending somewhere unasked.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from anliegen.channels import registry
from anliegen.core.models import Agent, Case, Message, MessageKind
from anliegen.core.services import contacts, outbound
from anliegen.core.services.cases import CaseError


def address_on(case: Case, channel: str) -> str:
    """The contact's address on `channel` (verified first), or "" when it has none there."""
    kind = registry.identity_kind(channel)
    identity = contacts.primary(case.contact, kind) if kind else None
    return identity.value if identity else ""


@transaction.atomic
def send_private(case: Case, agent: Agent, channel: str, text: str, kind: str = MessageKind.MESSAGE) -> Message:
    """Queue `text` to the case's contact on `channel` (retried by the delivery); raises CaseError with the reason."""
    found = registry.find(channel)
    if found is None or not found.can_send or found.public:
        raise CaseError(_("%(channel)s is no private channel that can send.") % {"channel": channel})
    address = address_on(case, channel)
    if not address:
        raise CaseError(_("The customer has no address on %(channel)s.") % {"channel": channel})
    if reason := registry.refusal(channel, case, address):
        raise CaseError(reason)
    limit = found.max_length
    if limit and len(text) > limit:
        raise CaseError(_("%(channel)s carries at most %(limit)s characters.") % {"channel": channel, "limit": limit})
    return outbound.new_message(
        case, channel=channel, address=address, author=agent, kind=kind, subject=case.subject, text=text
    )


def start_link(brand: object, channel: str) -> str:
    """Where the customer starts the chat themselves (then every reply may go there): wa.me, t.me; "" for SMS."""
    found = registry.hook(channel, "start_link")
    return found(brand) if found is not None else ""


@transaction.atomic
def open_private(case: Case, agent: Agent, channel: str, text: str) -> Message:
    """The first message on a private channel the customer just chose (e.g. through the continuation link).

    A channel where writing first is special says so in its spec's `opener` (WhatsApp outside the 24 hours sends
    the brand's approved template instead of `text`; a Telegram bot cannot write first at all).
    """
    address = address_on(case, channel)
    opener = registry.hook(channel, "opener")
    if opener is not None and (opened := opener(case, agent, text, address)) is not None:
        return opened
    return send_private(case, agent, channel, text)
