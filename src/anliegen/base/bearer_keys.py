"""Prefixed bearer secrets (app API keys, integration tokens): shown once, kept as a hash, checked in constant time.

A secret reads `<start><prefix>_<random>`; the prefix is public (lists, logs) and finds the row, the hash of the
whole secret proves it. SHA-256 is enough: the secrets are random and long, nothing to guess a dictionary for.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db.models import Model, QuerySet
from django.utils import timezone


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new(start: str) -> tuple[str, str, str]:
    """(prefix, the plain secret to show once, its digest to store)."""
    prefix = secrets.token_hex(6)
    secret = f"{start}{prefix}_{secrets.token_urlsafe(32)}"
    return prefix, secret, digest(secret)


def find(active: QuerySet, start: str, secret: str, hash_field: str) -> Model | None:
    """The row of `active` (not revoked) whose prefix and hash match `secret`, else None.

    The hash is compared even when no row has the prefix, so timing does not tell a known prefix from an unknown.
    """
    prefix = secret[len(start) :].partition("_")[0]
    found = active.filter(prefix=prefix).first()
    expected = getattr(found, hash_field) if found is not None else digest("")
    if not hmac.compare_digest(expected, digest(secret)):
        return None
    return found


def revoke(active: QuerySet, prefix: str) -> bool:
    return bool(active.filter(prefix=prefix).update(revoked_at=timezone.now()))
