"""Issuing, checking and revoking integration tokens: shown once, stored as a hash, compared in constant time."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from anliegen.base import bearer_keys, ratelimit
from anliegen.core.models import Brand

from .models import Integration, Scope

TOKEN_START = "ait_"


class TokenRefused(Exception):
    """No token, an unknown or revoked one: the caller answers 401."""


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many requests for this token; try again in {retry_after} s")
        self.retry_after = retry_after


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
    prefix, token, token_hash = bearer_keys.new(TOKEN_START)
    integration = Integration.objects.create(
        name=name[:120], scopes=scopes, prefix=prefix, token_hash=token_hash, rate_limit=rate_limit
    )
    integration.brands.set(brands)
    return integration, token


def check(token: str) -> Integration:
    """The active integration behind a bearer token, counted against its rate limit."""
    if not token.startswith(TOKEN_START):
        raise TokenRefused("send the integration token as 'Authorization: Bearer ait_…'")
    found = bearer_keys.find(Integration.objects.filter(revoked_at__isnull=True), TOKEN_START, token, "token_hash")
    if found is None:
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
    return bearer_keys.revoke(Integration.objects.filter(revoked_at__isnull=True), prefix)


def brand_ids(integration: Integration) -> list[int]:
    cached = getattr(integration, "_brand_ids", None)
    if cached is None:
        cached = integration._brand_ids = sorted(integration.brands.values_list("pk", flat=True))
    return cached
