"""The in-app report's shape (validated at the door) and its ParsedMessage; the fingerprint that groups reports."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from anliegen.base.parsed import ParsedAttachment, ParsedMessage

MAX_SCREENSHOT_B64 = 4 * 1024 * 1024  # ~3 MB of image
_VOLATILE = re.compile(r"0x[0-9a-f]+|\d+", re.IGNORECASE)  # addresses, line numbers, ids: not the error itself


class AppReportIn(BaseModel):
    """What an app sends (and what is stored raw); unknown fields are refused, so typos do not vanish."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    report_id: str = Field(min_length=1, max_length=64, description="the app's own id; a resend is not a second report")
    user_id: str = Field(min_length=1, max_length=120)
    app_version: str = Field(default="", max_length=60)
    device: str = Field(default="", max_length=120)
    os: str = Field(default="", max_length=120)
    text: str = Field(min_length=1, max_length=8000)
    log: str = Field(default="", max_length=64 * 1024)
    error_signature: str = Field(default="", max_length=300)
    screenshot: str = Field(default="", max_length=MAX_SCREENSHOT_B64, description="PNG or JPEG, base64")
    name: str = Field(default="", max_length=160)
    email: str = Field(default="", max_length=254)
    language: Literal["", "de", "en"] = ""
    answer_via: Literal["poll", "email"] = "poll"


def signature_of(report: AppReportIn) -> str:
    """The error signature as sent, else the log's last line naming an error, with volatile numbers removed."""
    raw = report.error_signature
    if not raw:
        lines = [line.strip() for line in report.log.splitlines() if line.strip()]
        raw = next((line for line in reversed(lines) if re.search(r"error|exception|fatal", line, re.I)), "")
    return _VOLATILE.sub("#", raw)[:300]


def fingerprint(report: AppReportIn) -> str:
    return hashlib.sha256(f"{report.app_version}\n{signature_of(report)}".encode()).hexdigest()[:32]


def screenshot_type(data: bytes) -> str | None:
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    return None


def parse(raw: bytes, meta: dict) -> ParsedMessage:
    report = AppReportIn.model_validate(json.loads(raw))
    identities = [("app_user_id", report.user_id)] + ([("email", report.email)] if report.email else [])
    facts = " · ".join(
        p for p in (f"App {report.app_version}" if report.app_version else "", report.device, report.os) if p
    )
    attachments = []
    if report.screenshot:
        data = base64.b64decode(report.screenshot)
        attachments.append(ParsedAttachment("screenshot", screenshot_type(data) or "application/octet-stream", data))
    if report.log:
        attachments.append(ParsedAttachment("log.txt", "text/plain", report.log.encode()))
    return ParsedMessage(
        sender_name=report.name,
        identities=identities,
        subject=report.text.splitlines()[0][:120],
        text=report.text + (f"\n\n— {facts}" if facts else ""),
        language=report.language,
        attachments=attachments,
        external_id=meta.get("submission", ""),
        headers={"app_version": report.app_version, "device": report.device, "os": report.os},
    )
