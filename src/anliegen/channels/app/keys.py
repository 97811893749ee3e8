"""Issuing, checking and revoking app API keys: shown once, stored as a hash, compared in constant time."""

from __future__ import annotations

from django.utils import timezone

from anliegen.base import bearer_keys
from anliegen.core.models import Brand

from .models import AppKey


class KeyRefused(Exception):
    """No key, an unknown or revoked one, or one of another brand: the caller answers 401."""


KEY_START = "ak_"


def issue(brand: Brand, name: str) -> tuple[AppKey, str]:
    """A new key; the plain key is returned this once and never stored."""
    prefix, key, key_hash = bearer_keys.new(KEY_START)
    return AppKey.objects.create(brand=brand, name=name[:120], prefix=prefix, key_hash=key_hash), key


def check(brand_id: int, header: str) -> AppKey:
    scheme, _, key = (header or "").partition(" ")
    if scheme.lower() != "bearer" or not key.startswith(KEY_START):
        raise KeyRefused("send the API key as 'Authorization: Bearer ak_…'")
    found = bearer_keys.find(AppKey.objects.filter(revoked_at__isnull=True), KEY_START, key, "key_hash")
    if found is None or found.brand_id != brand_id:
        raise KeyRefused("unknown or revoked API key")
    AppKey.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    return found


def revoke(prefix: str) -> bool:
    return bearer_keys.revoke(AppKey.objects.filter(revoked_at__isnull=True), prefix)
