"""A small client for Anliegen's in-app reports: send a report, read the confirmation, poll for the answer.

Standard library only, so an app's backend or a test script can vendor this one file.

    client = ReportClient("https://support.example.net", "kabelwelle", api_key)
    confirmation = client.report(report_id="4f1c…", user_id="u-1783", text="App crashes on login",
                                 app_version="3.2.1", device="Pixel 7", os="Android 14", log=log_text)
    print(confirmation["owner"]["name"], confirmation["reply_by"])
    answer = client.poll(confirmation["poll_url"])
"""

from __future__ import annotations

import base64
import json
import urllib.error
import urllib.request
import uuid
from typing import Any

__all__ = ["ReportClient", "ReportError"]


class ReportError(Exception):
    """The server refused the request: `status` (HTTP), `code` (stable, for programs) and `detail` (for people)."""

    def __init__(self, status: int, code: str, detail: str, body: dict | None = None) -> None:
        super().__init__(f"{status} {code}: {detail}")
        self.status, self.code, self.detail, self.body = status, code, detail, body or {}


class ReportClient:
    def __init__(self, base_url: str, brand: str, api_key: str, timeout: float = 20.0) -> None:
        self.base_url = base_url.rstrip("/")
        self.brand = brand
        self.api_key = api_key
        self.timeout = timeout

    def report(
        self,
        *,
        user_id: str,
        text: str,
        report_id: str | None = None,
        screenshot: bytes | None = None,
        **fields: Any,
    ) -> dict:
        """Send one report; a resend with the same report_id returns the same confirmation (never a second case).

        Other fields: app_version, device, os, log, error_signature, name, email, language, answer_via.
        """
        body = {"report_id": report_id or uuid.uuid4().hex, "user_id": user_id, "text": text, **fields}
        if screenshot is not None:
            body["screenshot"] = base64.b64encode(screenshot).decode()
        return self._call("POST", f"{self.base_url}/channels/app/{self.brand}/reports", body)

    def poll(self, poll_url: str) -> dict:
        """The case's state, owner and the public conversation (what the app shows as the answer)."""
        return self._call("GET", poll_url, None)

    def _call(self, method: str, url: str, body: dict | None) -> dict:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(url, data=data, method=method)  # noqa: S310 - the caller's own server
        request.add_header("Accept", "application/json")
        request.add_header("Authorization", f"Bearer {self.api_key}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            try:
                problem = json.loads(exc.read() or b"{}")
            except ValueError:
                problem = {}
            raise ReportError(
                exc.code, problem.get("code", "http_error"), problem.get("detail", exc.reason), problem
            ) from None
