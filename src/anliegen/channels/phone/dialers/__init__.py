"""Click-to-call: asking the PBX to ring an agent's extension and then the customer; backends by dotted path."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string


class DialError(RuntimeError):
    """The PBX did not take the dial request."""


class BaseDialer:
    """One method: ring `extension`, then connect it to `number`; returns the PBX's id for the request."""

    def dial(self, *, extension: str, number: str, reference: str) -> str:
        raise NotImplementedError


def get_dialer(path: str | None = None) -> BaseDialer:
    return import_string(path or settings.PHONE_DIAL_BACKEND)()
