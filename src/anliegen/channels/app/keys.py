"""Issuing, checking and revoking app API keys: shown once, stored as a hash, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.utils import timezone

from anliegen.core.models import Brand

from .models import AppKey


class KeyRefused(Exception):
    """No key, an unknown or revoked one, or one of another brand: the caller answers 401."""


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue(brand: Brand, name: str) -> tuple[AppKey, str]:
    """A new key; the plain key is returned this once and never stored."""
    prefix = secrets.token_hex(6)
    key = f"ak_{prefix}_{secrets.token_urlsafe(32)}"
    return AppKey.objects.create(brand=brand, name=name[:120], prefix=prefix, key_hash=_hash(key)), key


def check(brand_id: int, header: str) -> AppKey:
    scheme, _, key = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not key.startswith("ak_"):
        raise KeyRefused("send the API key as 'Authorization: Bearer ak_…'")
    prefix = key[3:].partition("_")[0]
    found = AppKey.objects.filter(prefix=prefix, revoked_at__isnull=True).first()
    # Compared even when nothing was found, so timing does not tell a known prefix from an unknown one.
    expected = found.key_hash if found else _hash("")
    if not hmac.compare_digest(expected, _hash(key)) or found is None or found.brand_id != brand_id:
        raise KeyRefused("unknown or revoked API key")
    AppKey.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found


def revoke(prefix: str) -> bool:
    return bool(AppKey.objects.filter(prefix=prefix, revoked_at__isnull=True).update(revoked_at=timezone.now()))
