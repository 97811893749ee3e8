"""The signature on every webhook delivery, in the form Stripe made familiar.

    Anliegen-Signature: t=1764700000,v1=5257a869e7ecebeda32affa62cdca3fa51cad7e77a0e56ff536d0ce8e108d8bd

`v1` is the hex HMAC-SHA256 of `"{t}.{raw request body}"` keyed with the endpoint's secret; `t` is the Unix time
of the attempt. A receiver recomputes it over the raw body, compares in constant time and refuses a `t` older
than a few minutes (a replayed capture); a retry is signed afresh with a new `t`.
"""

from __future__ import annotations

import hashlib
import hmac
import time

HEADER = "Anliegen-Signature"
TOLERANCE_SECONDS = 300


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={digest}"


def verify(secret: str, header: str, body: bytes, now: float | None = None, tolerance: int = TOLERANCE_SECONDS) -> bool:
    """What a receiver does (kept here as the reference for docs/api.md and for tests)."""
    parts = dict(item.split("=", 1) for item in header.split(",") if "=" in item)
    try:
        timestamp = int(parts.get("t", ""))
    except ValueError:
        return False
    if abs((now if now is not None else time.time()) - timestamp) > tolerance:
        return False
    expected = sign(secret, timestamp, body).rpartition("v1=")[2]
    return hmac.compare_digest(expected, parts.get("v1", ""))
