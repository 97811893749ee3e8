"""Who may post call events: the line's secret token (constant-time); Twilio's signature is channels.webhooks'."""

from __future__ import annotations

import hmac


def token_matches(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())
