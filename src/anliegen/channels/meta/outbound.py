"""Replies through Meta: a Messenger or Instagram message (private), a comment reply on the page (public).

The provider's id of what was sent becomes the message's external id; a failure raises (retried, shown).
"""

from __future__ import annotations

from anliegen.channels.social import accounts, transport
from anliegen.core.models import Direction, Message

from .parse import provider_id


class NothingToAnswer(RuntimeError):
    """A comment reply needs a comment or post of the customer's on the case; there is none."""


def send(message: Message) -> None:
    """Messenger (channel facebook) or Instagram (instagram): to the customer's page-scoped id."""
    account = accounts.sending(message.brand_id, message.channel)
    sent = transport.send(transport.Outgoing(account, transport.DM, message.address, message.body_text))
    _record(message, f"meta.{sent}")


def send_comment(message: Message) -> None:
    """A public answer under the customer's comment (or post) on the brand's page."""
    account = accounts.sending(message.brand_id, "facebook")
    target = _answered(message)
    sent = transport.send(transport.Outgoing(account, transport.COMMENT, provider_id(target), message.body_text))
    _record(message, f"meta.comment.{sent}", target)


def _answered(message: Message) -> str:
    if message.in_reply_to.startswith(("meta.comment.", "meta.post.")):
        return message.in_reply_to
    last = (
        Message.objects.filter(
            case_id=message.case_id, channel="facebook_page", direction=Direction.IN, address=message.address
        )
        .exclude(external_id="")
        .order_by("-created_at", "-id")
        .values_list("external_id", flat=True)
        .first()
    )
    if not last:
        raise NothingToAnswer("no comment of this customer on the case to answer")
    return last.partition(".edit.")[0]


def _record(message: Message, external_id: str, in_reply_to: str = "") -> None:
    fields = {"external_id": external_id[:250]} | ({"in_reply_to": in_reply_to} if in_reply_to else {})
    Message.objects.filter(pk=message.pk).update(**fields)
    for name, value in fields.items():
        setattr(message, name, value)
