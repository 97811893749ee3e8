"""A stored Telegram update into a ParsedMessage: text, photo (the largest size) and document fetched by getFile.

An edited_message changes the message already stored (its text is replaced, the former one kept as a note on
the case) instead of opening anything; an edit of a message we never got is taken as that message.
"""

from __future__ import annotations

import json
import logging

from django.utils import translation
from django.utils.translation import gettext as _

from anliegen.base.parsed import ParsedAttachment, ParsedMessage
from anliegen.channels.messaging.http import ProviderError
from anliegen.core.models import CaseEvent, Direction, Message
from anliegen.intake.context import Discard

from . import botapi

log = logging.getLogger(__name__)


def parse(raw: bytes, meta: dict) -> ParsedMessage:
    update = json.loads(bytes(raw))
    edited = "edited_message" in update
    message = update["edited_message"] if edited else update["message"]
    chat, sender = message["chat"], message.get("from") or message["chat"]
    if chat.get("type", "private") != "private":
        # In a group the chat is many people: no one's identity, and nothing to confirm to them in public.
        raise Discard(f"{chat.get('type')} chat {chat.get('id')}: only private chats are cases")
    own_id = botapi.message_id(chat["id"], message["message_id"])
    brand_id = meta.get("brand_id")
    language = (sender.get("language_code") or "")[:2]
    with translation.override(meta.get("language") or "de"):
        if edited:
            _apply_edit(brand_id, own_id, message)  # raises Discard when the message was stored before
        text, attachments = _content(message, brand_id)
    reply = message.get("reply_to_message") or {}
    name = " ".join(filter(None, [sender.get("first_name", ""), sender.get("last_name", "")]))
    return ParsedMessage(
        sender_name=name or sender.get("username", ""),
        # The chat is the address (a private chat's id is the user's); the user id is the identity.
        identities=[("telegram_id", str(chat["id"]))],
        text=text,
        attachments=attachments,
        external_id=own_id,
        in_reply_to=[botapi.message_id(chat["id"], reply["message_id"])] if reply.get("message_id") else [],
        language=language if language in ("de", "en") else "",
        to_open_case=True,
    )


def _content(message: dict, brand_id: int | None) -> tuple[str, list[ParsedAttachment]]:
    text = message.get("text") or message.get("caption") or ""
    files = []
    if message.get("photo"):
        largest = max(message["photo"], key=lambda p: (p.get("width", 0) * p.get("height", 0), p.get("file_size", 0)))
        files.append(
            (largest["file_id"], f"photo-{largest.get('file_unique_id', largest['file_id'])}.jpg", "image/jpeg")
        )
    if message.get("document"):
        doc = message["document"]
        files.append(
            (
                doc["file_id"],
                doc.get("file_name") or f"document-{doc.get('file_unique_id', '')}",
                doc.get("mime_type") or "application/octet-stream",
            )
        )
    attachments, notes = [], []
    for file_id, filename, mime in files:
        try:
            attachments.append(
                ParsedAttachment(filename=filename, content_type=mime, data=botapi.download(brand_id, file_id))
            )
        except (ProviderError, LookupError) as exc:
            log.warning("telegram file %s could not be fetched: %s", file_id, exc)
            notes.append(_("[%(name)s could not be fetched: %(error)s]") % {"name": filename, "error": exc})
    if message.get("location"):
        place = message["location"]
        notes.append(_("Location: %(lat)s, %(lon)s") % {"lat": place.get("latitude"), "lon": place.get("longitude")})
    if not text and not files and not notes:
        text = _("A Telegram message of a kind the desk cannot show.")
    return "\n".join(filter(None, [text, *notes])), attachments


def _apply_edit(brand_id: int | None, own_id: str, message: dict) -> None:
    stored = (
        Message.objects.filter(brand_id=brand_id, channel="telegram", direction=Direction.IN, external_id=own_id)
        .select_related("case")
        .first()
    )
    if stored is None:
        return  # the original never reached us: the edit is the message
    edit_date = message.get("edit_date", 0)
    new_text = message.get("text") or message.get("caption") or ""
    # Parsing may run twice for one item (the batch reads ahead): the same edit is recorded once.
    if not CaseEvent.objects.filter(case=stored.case, data__telegram_edit=own_id, data__edit_date=edit_date).exists():
        CaseEvent.objects.create(
            case=stored.case,
            kind=CaseEvent.Kind.NOTE,
            text=_("The customer edited a Telegram message. Before: %(text)s") % {"text": stored.body_text},
            data={"telegram_edit": own_id, "edit_date": edit_date, "message": stored.pk},
        )
        Message.objects.filter(pk=stored.pk).update(body_text=new_text)
    raise Discard(f"edit of message {stored.pk} recorded")
