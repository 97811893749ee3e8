"""Issuing, checking and revoking integration tokens: shown once, stored as a hash, compared in constant time."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from anliegen.base import ratelimit
from anliegen.core.models import Brand

from .models import Integration, Scope

TOKEN_START = "ait_"


class TokenRefused(Exception):
    """No token, an unknown or revoked one: the caller answers 401."""


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many requests for this token; try again in {retry_after} s")
        self.retry_after = retry_after


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def issue(
    name: str, brands: Iterable[Brand], scopes: Iterable[str], rate_limit: str = "600/m"
) -> tuple[Integration, str]:
    """A new integration; the plain token is returned this once and never stored."""
    scopes = sorted(set(scopes))
    unknown = set(scopes) - set(Scope.values)
    if unknown or not scopes:
        raise ValueError(f"scopes must be some of {', '.join(Scope.values)}")
    ratelimit.parse_rate(rate_limit)  # refuses a malformed rate now, not on the first request
    brands = list(brands)
    if not brands:
        raise ValueError("an integration needs at least one brand")
    prefix = secrets.token_hex(6)
    token = f"{TOKEN_START}{prefix}_{secrets.token_urlsafe(32)}"
    integration = Integration.objects.create(
        name=name[:120], scopes=scopes, prefix=prefix, token_hash=token_hash(token), rate_limit=rate_limit
    )
    integration.brands.set(brands)
    return integration, token


def check(token: str) -> Integration:
    """The active integration behind a bearer token, counted against its rate limit."""
    if not token.startswith(TOKEN_START):
        raise TokenRefused("send the integration token as 'Authorization: Bearer ait_…'")
    prefix = token[len(TOKEN_START) :].partition("_")[0]
    found = Integration.objects.filter(prefix=prefix, revoked_at__isnull=True).first()
    # Compared even when nothing was found, so timing does not tell a known prefix from an unknown one.
    expected = found.token_hash if found else token_hash("")
    if not hmac.compare_digest(expected, token_hash(token)) or found is None:
        raise TokenRefused("unknown or revoked integration token")
    rate = ratelimit.parse_rate(found.rate_limit)
    if not ratelimit.consume("api-token", [found.prefix], rate):
        raise RateLimited(ratelimit.retry_after(rate))
    now = timezone.now()
    if found.last_used_at is None or (now - found.last_used_at).total_seconds() > 60:
        # At most once a minute: a busy integration must not write a row per request.
        Integration.objects.filter(pk=found.pk).update(last_used_at=now)
    return found


def revoke(prefix: str) -> bool:
    return bool(Integration.objects.filter(prefix=prefix, revoked_at__isnull=True).update(revoked_at=timezone.now()))


def brand_ids(integration: Integration) -> list[int]:
    cached = getattr(integration, "_brand_ids", None)
    if cached is None:
        cached = integration._brand_ids = sorted(integration.brands.values_list("pk", flat=True))
    return cached
