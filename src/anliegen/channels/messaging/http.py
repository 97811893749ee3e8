"""Calls to a provider's HTTP API (Graph API, Bot API, Twilio REST): one function, errors that say whether to retry.

The standard library's client on purpose: every call is one short request with a timeout, and senders run in
the delivery worker, where a refused or unreachable provider must become a retry, never a crash.
"""

from __future__ import annotations

import base64
import json as jsonlib
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode

TIMEOUT = 10.0
LIMIT = 32 * 1024 * 1024  # a media download larger than this is refused (WhatsApp's own limit for documents is 100 MB)


class ProviderError(RuntimeError):
    """The provider refused or could not be reached. `permanent`: sending the same again cannot succeed."""

    def __init__(self, message: str, status: int = 0, permanent: bool = False, code: str = "") -> None:
        super().__init__(message)
        self.status = status
        self.permanent = permanent
        self.code = code


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes
    content_type: str

    def json(self) -> dict:
        try:
            data = jsonlib.loads(self.body or b"{}")
        except ValueError as exc:
            raise ProviderError(f"the provider answered no JSON (HTTP {self.status})", self.status) from exc
        return data if isinstance(data, dict) else {"result": data}


def call(
    method: str,
    url: str,
    *,
    json: object = None,
    form: dict | list | None = None,
    headers: dict[str, str] | None = None,
    basic: tuple[str, str] | None = None,
    bearer: str = "",
    timeout: float = TIMEOUT,
) -> Response:
    """One request; a 2xx answer is returned, anything else raised as ProviderError (4xx but 429: permanent)."""
    if not url.startswith(("http://", "https://")):
        raise ProviderError(f"not an http(s) URL: {url[:80]!r}", permanent=True)
    data = None
    sent = dict(headers or {})
    if json is not None:
        data, sent["Content-Type"] = jsonlib.dumps(json).encode(), "application/json"
    elif form is not None:
        data, sent["Content-Type"] = urlencode(form, doseq=True).encode(), "application/x-www-form-urlencoded"
    if bearer:
        sent["Authorization"] = f"Bearer {bearer}"
    if basic:
        sent["Authorization"] = "Basic " + base64.b64encode(f"{basic[0]}:{basic[1]}".encode()).decode()
    request = urllib.request.Request(url, data=data, method=method, headers=sent)  # noqa: S310 - checked above
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            body = answer.read(LIMIT + 1)
            if len(body) > LIMIT:
                raise ProviderError(f"the provider's answer is over {LIMIT} bytes", answer.status, permanent=True)
            return Response(answer.status, body, answer.headers.get_content_type())
    except urllib.error.HTTPError as exc:
        raise _refused(exc) from exc
    except (urllib.error.URLError, OSError) as exc:
        raise ProviderError(f"the provider cannot be reached: {getattr(exc, 'reason', exc)}") from exc


def _refused(exc: urllib.error.HTTPError) -> ProviderError:
    body = exc.read(65536)
    detail, code = _explain(body)
    permanent = 400 <= exc.code < 500 and exc.code not in (408, 409, 429)
    return ProviderError(f"HTTP {exc.code}: {detail}"[:500], exc.code, permanent=permanent, code=code)


def _explain(body: bytes) -> tuple[str, str]:
    """The provider's own words: Graph's error.message, the Bot API's description, Twilio's message."""
    try:
        data = jsonlib.loads(body or b"{}")
    except ValueError:
        return body[:200].decode(errors="replace").strip() or "no detail", ""
    if not isinstance(data, dict):
        return str(data)[:200], ""
    error = data.get("error") if isinstance(data.get("error"), dict) else {}
    text = error.get("message") or data.get("description") or data.get("message") or data.get("error") or "no detail"
    code = error.get("code") or data.get("error_code") or data.get("code") or ""
    return str(text), str(code)
