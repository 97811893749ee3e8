"""Replies on X: a public reply tweet (channel x) or a direct message (x_dm), from the brand's X account.

The provider's id of what was posted becomes the message's external id, so a customer's reply to our tweet
threads to the case. A failure raises (the delivery task retries and shows the error on the message).
"""

from __future__ import annotations

from anliegen.channels.social import accounts, transport
from anliegen.core.models import Direction, Message

from .parse import tweet_id


class NothingToAnswer(RuntimeError):
    """A public reply needs a tweet of the customer's to answer; the case has none from this address."""


def answered_tweet(message: Message) -> str:
    if message.in_reply_to.startswith("x.tweet."):
        return tweet_id(message.in_reply_to)
    last = (
        Message.objects.filter(case_id=message.case_id, channel="x", direction=Direction.IN, address=message.address)
        .exclude(external_id="")
        .order_by("-created_at", "-id")
        .values_list("external_id", flat=True)
        .first()
    )
    if not last:
        raise NothingToAnswer("no tweet of this customer on the case to reply to")
    return tweet_id(last)


def send(message: Message) -> None:
    account = accounts.sending(message.brand_id, "x")
    target = answered_tweet(message)
    posted = transport.send(transport.Outgoing(account, transport.REPLY, target, message.body_text))
    _record(message, f"x.tweet.{posted}", f"x.tweet.{target}")


def send_dm(message: Message) -> None:
    account = accounts.sending(message.brand_id, "x")
    posted = transport.send(transport.Outgoing(account, transport.DM, message.address, message.body_text))
    _record(message, f"x.dm.{posted}")


def _record(message: Message, external_id: str, in_reply_to: str = "") -> None:
    fields = {"external_id": external_id[:250]} | ({"in_reply_to": in_reply_to} if in_reply_to else {})
    Message.objects.filter(pk=message.pk).update(**fields)
    for name, value in fields.items():
        setattr(message, name, value)
