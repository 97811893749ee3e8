"""The channels the product speaks: one entry each, naming its parser and its sender by dotted path."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING

from django.utils.module_loading import import_string

if TYPE_CHECKING:
    from anliegen.core.models import Message
    from anliegen.intake.context import ParsedMessage

CHANNELS: dict[str, dict[str, str]] = {
    "email": {
        "parse": "anliegen.channels.email.parse.parse",
        "send": "anliegen.channels.email.outbound.send",
        "send_many": "anliegen.channels.email.outbound.send_many",
    },
    "webform": {"parse": "anliegen.channels.webform.parse.parse"},
    "portal": {"parse": "anliegen.channels.portal.parse.parse"},
}


class UnknownChannel(LookupError):
    pass


@cache
def parser(channel: str) -> Callable[[bytes, dict], ParsedMessage]:
    try:
        return import_string(CHANNELS[channel]["parse"])
    except KeyError as exc:
        raise UnknownChannel(f"no parser for channel {channel!r}") from exc


@cache
def sender(channel: str) -> Callable[[Message], None]:
    try:
        return import_string(CHANNELS[channel]["send"])
    except KeyError as exc:
        raise UnknownChannel(f"channel {channel!r} cannot send") from exc


def send_many(channel: str, messages: list[Message]) -> dict[int, Exception | None]:
    """Send several messages of one channel: its own batch sender (one connection) or one at a time.

    Returns each message's outcome: None when sent, else the transport's exception.
    """
    path = CHANNELS.get(channel, {}).get("send_many")
    if path:
        return import_string(path)(messages)
    send = sender(channel)
    results: dict[int, Exception | None] = {}
    for message in messages:
        try:
            send(message)
            results[message.pk] = None
        except Exception as exc:  # noqa: BLE001 - recorded per message, retried by the caller
            results[message.pk] = exc
    return results
