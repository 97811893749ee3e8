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
