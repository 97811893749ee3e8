"""What a social sender hands its transport, and the one function that loads a provider's backend.

Backends are dotted paths per provider (settings.SOCIAL_BACKENDS): locmem and console for any provider, and
the HTTP API of each (channels/x/api.py, channels/meta/api.py). A backend returns the provider's id for what it
posted; it raises SendError (or messaging.http's ProviderError) when the provider refused or cannot be reached: the
delivery task retries, and fails at once what can never succeed (ProviderError.permanent).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from .models import Account


class SendError(RuntimeError):
    """The request cannot be made (no token, an id that is no id); the message says why. Never retried."""

    permanent = True


# What a sender asks for. `target`: the tweet, comment or page answered (reply, comment, post), or the
# recipient's id (dm).
REPLY, DM, COMMENT, POST = "reply", "dm", "comment", "post"


@dataclass(frozen=True)
class Outgoing:
    account: Account
    action: str
    target: str
    text: str


class BaseBackend:
    def send(self, outgoing: Outgoing) -> str:
        raise NotImplementedError


def get_backend(provider: str) -> BaseBackend:
    path = settings.SOCIAL_BACKENDS.get(provider) or settings.SOCIAL_BACKENDS["default"]
    return import_string(path)()


def send(outgoing: Outgoing) -> str:
    return get_backend(outgoing.account.provider).send(outgoing)
