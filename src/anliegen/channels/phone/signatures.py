"""Who may post call events: the line's secret token, and Twilio's request signature (both constant-time)."""

from __future__ import annotations

import base64
import hashlib
import hmac


def token_matches(given: str, expected: str) -> bool:
    return bool(expected) and hmac.compare_digest(given.encode(), expected.encode())


def twilio_signature(auth_token: str, url: str, params: dict[str, list[str]]) -> str:
    """X-Twilio-Signature: HMAC-SHA1 over the full URL followed by each POST field's name and value, sorted."""
    data = url + "".join(f"{name}{value}" for name in sorted(params) for value in params[name])
    digest = hmac.new(auth_token.encode(), data.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def twilio_valid(auth_token: str, url: str, params: dict[str, list[str]], signature: str) -> bool:
    if not auth_token or not signature:
        return False
    return hmac.compare_digest(twilio_signature(auth_token, url, params).encode(), signature.encode())
