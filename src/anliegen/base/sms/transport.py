"""The SMS transport base class and the one function that loads the configured backend."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string


class SmsError(RuntimeError):
    """The transport could not hand the text to the provider."""


class BaseSmsBackend:
    """One method to implement: send a text to an E.164 number and return the provider's message id."""

    def send(self, to: str, text: str, sender: str = "") -> str:
        raise NotImplementedError


def configured() -> bool:
    return bool(settings.SMS_BACKEND)


def get_backend(path: str | None = None) -> BaseSmsBackend:
    path = path if path is not None else settings.SMS_BACKEND
    if not path:
        raise SmsError("no SMS transport is configured")
    return import_string(path)()
