"""Turn a stored chat message (JSON) into a ParsedMessage tied to the conversation's case."""

from __future__ import annotations

import base64
import json
import re

from pydantic import BaseModel, Field

from anliegen.base.parsed import ParsedAttachment, ParsedMessage

# Control characters other than tab and newline never belong in a chat line (terminal escapes, NUL).
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
MAX_TEXT = 4000


class ChatFile(BaseModel):
    filename: str
    content_type: str
    data_b64: str


class ChatLine(BaseModel):
    """The exact shape chat.inbound stores as the Inbound's raw payload."""

    conversation: int
    key: str = Field(min_length=8)
    case_id: int | None = None
    name: str = ""
    email: str = ""
    text: str = ""
    page_url: str = ""
    language: str = ""
    files: list[ChatFile] = Field(default_factory=list)


def clean_text(text: str) -> str:
    """Plain text only (the widget and the desk show it as text, never as markup), bounded, no control bytes."""
    return _CONTROL.sub("", text or "").strip()[:MAX_TEXT]


def parse(raw: bytes, meta: dict) -> ParsedMessage:
    line = ChatLine.model_validate(json.loads(raw))
    identities = [("chat_id", line.key)] + ([("email", line.email)] if line.email else [])
    text = clean_text(line.text) or ", ".join(f.filename for f in line.files)
    first_line = text.splitlines()[0] if text else ""
    return ParsedMessage(
        sender_name=line.name,
        identities=identities,
        subject=first_line[:80] or "Chat",
        text=text,
        language=line.language if line.language in ("de", "en") else "",
        attachments=[ParsedAttachment(f.filename, f.content_type, base64.b64decode(f.data_b64)) for f in line.files],
        external_id=meta.get("submission", ""),
        case_id=line.case_id,
        headers={"page": line.page_url[:1000]} if line.page_url else {},
    )
