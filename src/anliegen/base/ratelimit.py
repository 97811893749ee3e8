"""Fixed-window rate limits kept in Django's cache: per client IP and per sender address."""

from __future__ import annotations

import hashlib
import math
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

_RATE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


@dataclass(frozen=True)
class Rate:
    limit: int
    period: int  # seconds


def parse_rate(text: str) -> Rate:
    """'10/h', '5/10m', '100/d' -> Rate; raises ValueError on anything else."""
    match = _RATE.match(text or "")
    if not match:
        raise ValueError(f"not a rate: {text!r} (expected like '10/h')")
    count, multiple, unit = match.groups()
    return Rate(int(count), int(multiple or 1) * _UNITS[unit])


def form_rate() -> Rate:
    return parse_rate(settings.FORM_RATE_LIMIT)


def peer_address(request: HttpRequest) -> str | None:
    """The socket peer, None without one (a Unix socket, Django's force_login). Only the peer: a forwarded-for
    header is the client's word, not proof. Sign-in throttling takes this: its table stores addresses as inet,
    and "unknown" made PostgreSQL refuse every sign-in from such a request."""
    return request.META.get("REMOTE_ADDR") or None


def client_ip(request: HttpRequest) -> str:
    """The peer as a rate limit's key; requests without one share the key "unknown"."""
    return peer_address(request) or "unknown"


def _key(scope: str, ident: str, window: int) -> str:
    # Hashed so addresses never sit in the cache in clear text and odd characters cannot break keys.
    digest = hashlib.sha256(ident.strip().lower().encode()).hexdigest()[:32]
    return f"anliegen:rl:{scope}:{digest}:{window}"


def consume(scope: str, idents: list[str], rate: Rate | None = None) -> bool:
    """Count one use for every identifier; False when any of them is over its limit in this window."""
    rate = rate or form_rate()
    window = int(time.time() // rate.period)
    allowed = True
    for ident in dict.fromkeys(i for i in idents if i):
        key = _key(scope, ident, window)
        cache.add(key, 0, timeout=rate.period + 1)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=rate.period + 1)
            count = 1
        if count > rate.limit:
            allowed = False
    return allowed


def retry_after(rate: Rate | None = None) -> int:
    """Seconds until the current window ends and a refused client may try again (the Retry-After header)."""
    rate = rate or form_rate()
    return max(1, rate.period - int(time.time()) % rate.period)


def too_many(response: HttpResponse, rate: Rate | None = None) -> HttpResponse:
    """A 429 page that says when to come back, for people (the page) and programs (Retry-After)."""
    response["Retry-After"] = str(retry_after(rate))
    return response


def refused(request: HttpRequest, rate: Rate | None = None) -> HttpResponse:
    """The answer to a request over its limit: our 429 page in the visitor's language (JSON for a program that
    asks for it), always with Retry-After."""
    wait = retry_after(rate)
    if request.headers.get("Accept", "").startswith("application/json"):
        response = JsonResponse({"error": "rate_limited", "retry_after": wait}, status=429)
    else:
        response = render(request, "429.html", {"minutes": math.ceil(wait / 60)}, status=429)
    return too_many(response, rate)
