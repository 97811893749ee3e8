"""Receive what a visitor types or uploads: store it as an Inbound, run the pipeline now, answer with the owner."""

from __future__ import annotations

import base64
from dataclasses import dataclass

from django.conf import settings

from anliegen.core.models import Case
from anliegen.intake.accept import accept
from anliegen.intake.models import Inbound

from .models import Conversation
from .parse import ChatFile, ChatLine, clean_text

# What a visitor may send as a file, recognised by its first bytes (the browser's type is the sender's word).
SIGNATURES = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/gif": (b"GIF87a", b"GIF89a"),
    "image/webp": (b"RIFF",),
    "application/pdf": (b"%PDF-",),
}


class ChatRefused(ValueError):
    """What the visitor sent cannot be taken; `code` is the widget's key for the message it shows."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


@dataclass(frozen=True)
class Answer:
    """What the widget shows at once: the message is stored, and who owns the case (when processed)."""

    inbound_id: int
    state: str
    case_id: int | None
    message_id: int | None
    owner_name: str
    due: str  # ISO time of the promised answer, or ""


def check_file(name: str, content_type: str, data_b64: str) -> ChatFile:
    try:
        data = base64.b64decode(data_b64, validate=True)
    except ValueError as exc:
        raise ChatRefused("bad_file", "the file is not base64") from exc
    if len(data) > settings.CHAT_UPLOAD_MAX_BYTES:
        raise ChatRefused("file_too_large", f"files up to {settings.CHAT_UPLOAD_MAX_BYTES // 1024} KB")
    kind = next((k for k, heads in SIGNATURES.items() if any(data.startswith(h) for h in heads)), None)
    if kind is None or (kind == "image/webp" and data[8:12] != b"WEBP"):
        raise ChatRefused("file_type", "images (PNG, JPEG, GIF, WebP) and PDF only")
    return ChatFile(filename=(name or "file")[:120], content_type=kind, data_b64=data_b64)


def say(
    conversation: Conversation, client_id: str, text: str, files: list[ChatFile] | None = None, ip: str = ""
) -> Answer:
    """Store one visitor line once (its client id makes a resent frame a duplicate) and process it at once."""
    text = clean_text(text)
    if not text and not files:
        raise ChatRefused("empty", "an empty message")
    if not client_id or len(client_id) > 64:
        raise ChatRefused("bad_frame", "a message needs its client id (up to 64 characters)")
    line = ChatLine(
        conversation=conversation.pk,
        key=conversation.key,
        case_id=conversation.case_id,
        name=conversation.name,
        email=conversation.email,
        text=text,
        page_url=conversation.page_url,
        language=conversation.language,
        files=files or [],
    )
    submission = f"chat:{conversation.pk}:{client_id}"
    accepted = accept(
        "chat",
        submission,
        line.model_dump_json().encode(),
        {"submission": submission, "ip": ip},
        brand_id=conversation.brand_id,
    )
    return answer(conversation, accepted.inbound_id)


def answer(conversation: Conversation, inbound_id: int) -> Answer:
    inbound = Inbound.objects.filter(pk=inbound_id).values("state", "case_id").get()
    case = Case.objects.select_related("owner").filter(pk=inbound["case_id"]).first() if inbound["case_id"] else None
    if case is not None and conversation.case_id != case.pk:
        # The first line opened the case (or the old one was closed): later lines join this one.
        conversation.case_id = case.pk
        Conversation.objects.filter(pk=conversation.pk).update(case_id=case.pk)
    from anliegen.core.models import Message

    message_id = Message.objects.filter(inbound_id=inbound_id).values_list("pk", flat=True).first() if case else None
    return Answer(
        inbound_id=inbound_id,
        state=inbound["state"],
        case_id=case.pk if case else None,
        message_id=message_id,
        owner_name=case.owner.name if case else "",
        due=case.answer_due_at.isoformat() if case and case.answer_due_at else "",
    )
