"""A dialer that posts the request to the PBX's click-to-dial URL as JSON (PHONE_DIAL_URL, PHONE_DIAL_TOKEN).

Body: {"extension": "201", "number": "+4940...", "reference": "callback-17"}; header Authorization: Bearer <token>.
Any 2xx answer takes the request; its JSON "id" (if any) is kept as the PBX's reference.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from django.conf import settings

from . import BaseDialer, DialError


class HttpDialer(BaseDialer):
    def __init__(self, url: str | None = None, token: str | None = None, timeout: float = 5.0) -> None:
        self.url = url or settings.PHONE_DIAL_URL
        self.token = token if token is not None else settings.PHONE_DIAL_TOKEN
        self.timeout = timeout
        if not self.url.startswith(("http://", "https://")):
            raise DialError("PHONE_DIAL_URL must be an http(s) URL")

    def dial(self, *, extension: str, number: str, reference: str) -> str:
        body = json.dumps({"extension": extension, "number": number, "reference": reference}).encode()
        request = urllib.request.Request(self.url, data=body, method="POST")  # noqa: S310 - checked above
        request.add_header("Content-Type", "application/json")
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                answer = response.read(65536)
        except urllib.error.HTTPError as exc:
            raise DialError(f"the PBX refused the dial request: HTTP {exc.code}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise DialError(f"the PBX cannot be reached: {exc}") from exc
        try:
            return str(json.loads(answer or b"{}").get("id", ""))[:120]
        except (ValueError, AttributeError):
            return ""
