"""A stored WhatsApp notification into a ParsedMessage: text, media (fetched from the Graph API), location,
button and list replies. A status is recorded on the outgoing message it names and kept without a case.
"""

from __future__ import annotations

import json
import logging
import mimetypes

from django.utils import translation
from django.utils.translation import gettext as _

from anliegen.base.parsed import ParsedAttachment, ParsedMessage
from anliegen.channels.messaging import receipts
from anliegen.channels.messaging.http import ProviderError
from anliegen.intake.context import Discard, Quarantine

from . import graph

log = logging.getLogger(__name__)
MEDIA = ("image", "document", "audio", "video", "sticker")


def parse(raw: bytes, meta: dict) -> ParsedMessage:
    data = json.loads(bytes(raw))
    brand_id = meta.get("brand_id")
    if data.get("statuses"):
        status = data["statuses"][0]
        errors = status.get("errors") or []
        detail = "; ".join(f"{e.get('title') or e.get('message', '')} ({e.get('code', '?')})" for e in errors)
        # Applied here, in the item's transaction: a status that names no message of ours is kept all the same.
        outcome = receipts.record(
            brand_id, "whatsapp", status["id"], status["status"], receipts.at(status.get("timestamp")), detail
        )
        raise Discard(f"status: {outcome}")
    message = data["messages"][0]
    kind = message.get("type", "")
    if kind == "reaction":
        raise Discard(
            f"reaction {message.get('reaction', {}).get('emoji', '')} to {message.get('reaction', {}).get('message_id')}"
        )
    profile = next((c for c in data.get("contacts", []) if c.get("wa_id") == message["from"]), {})
    number = "+" + str(message["from"]).lstrip("+")
    with translation.override(meta.get("language") or "de"):
        text, attachments = _content(message, kind, brand_id)
    context = message.get("context") or {}
    return ParsedMessage(
        sender_name=(profile.get("profile") or {}).get("name", ""),
        # The number WhatsApp vouches for; as a phone number too, so a known caller is proposed for a merge.
        identities=[("whatsapp", number), ("phone", number)],
        text=text,
        attachments=attachments,
        external_id=message["id"],
        in_reply_to=[context["id"]] if context.get("id") else [],
        recipients=[(data.get("metadata") or {}).get("display_phone_number", "")],
        sent_at=receipts.at(message.get("timestamp")).isoformat(),
        to_open_case=True,  # a chat goes on: the next line belongs to the open case, not a new one
    )


def _content(message: dict, kind: str, brand_id: int | None) -> tuple[str, list[ParsedAttachment]]:
    if kind == "text":
        return message.get("text", {}).get("body", ""), []
    if kind in MEDIA:
        return _media(message, kind, brand_id)
    if kind == "location":
        place = message.get("location", {})
        lines = [place.get("name", ""), place.get("address", "")]
        lat, lon = place.get("latitude"), place.get("longitude")
        lines.append(_("Location: %(lat)s, %(lon)s") % {"lat": lat, "lon": lon})
        lines.append(f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}")
        return "\n".join(line for line in lines if line), []
    if kind == "interactive":
        reply = message.get("interactive", {})
        chosen = reply.get("button_reply") or reply.get("list_reply") or {}
        text = _("Chose: %(title)s") % {"title": chosen.get("title", "")}
        if chosen.get("description"):
            text += f"\n{chosen['description']}"
        return text, []
    if kind == "button":  # a quick-reply button of a template
        return _("Chose: %(title)s") % {"title": message.get("button", {}).get("text", "")}, []
    if kind == "contacts":
        names = [c.get("name", {}).get("formatted_name", "") for c in message.get("contacts", [])]
        phones = [p.get("phone", "") for c in message.get("contacts", []) for p in c.get("phones", [])]
        return _("Shared a contact: %(who)s") % {"who": ", ".join(filter(None, names + phones))}, []
    return _("A WhatsApp message of a kind the desk cannot show (%(kind)s).") % {"kind": kind or "?"}, []


def _media(message: dict, kind: str, brand_id: int | None) -> tuple[str, list[ParsedAttachment]]:
    item = message.get(kind, {})
    caption = item.get("caption", "")
    media_id = str(item.get("id", ""))
    if not media_id or brand_id is None:
        raise Quarantine(f"{kind} without a media id")
    try:
        data, mime = graph.media(brand_id, media_id)
    except (ProviderError, LookupError) as exc:
        # The text and the media id are kept; the file can be fetched again by reprocessing within Meta's 30 days.
        log.warning("whatsapp media %s could not be fetched: %s", media_id, exc)
        note = _("[%(kind)s %(id)s could not be fetched: %(error)s]") % {"kind": kind, "id": media_id, "error": exc}
        return "\n".join(filter(None, [caption, note])), []
    mime = item.get("mime_type") or mime or "application/octet-stream"
    name = item.get("filename") or f"{kind}-{media_id}{mimetypes.guess_extension(mime.split(';')[0].strip()) or ''}"
    return caption, [ParsedAttachment(filename=name, content_type=mime.split(";")[0].strip(), data=data)]
