"""A stored Meta webhook body -> the one message, edit, postback or page comment its meta points at.

Messenger and Instagram senders are known by their page-scoped ids (PSID, IGSID): a person has another id
on every page, so these ids never tie two brands' customers together. A comment threads by its parent
(a reply to our comment joins the case; a comment on a post of ours finds the post, e.g. an incident update).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from anliegen.base.parsed import ParsedAttachment, ParsedMessage
from anliegen.channels.social import deleted
from anliegen.intake.context import Discard, Quarantine

SUBJECT_CHARS = 80
IDENTITY = {"facebook": "facebook_psid", "instagram": "instagram_id"}


def provider_id(external_id: str) -> str:
    """The provider's id inside our external id ("meta.comment.123_456" -> "123_456")."""
    for prefix in ("meta.comment.", "meta.post.", "meta."):
        if external_id.startswith(prefix):
            return external_id[len(prefix) :].partition(".edit.")[0]
    return external_id


def parse(raw: bytes, meta: dict) -> ParsedMessage:
    try:
        data = json.loads(bytes(raw))
        entry = data["entry"][meta["entry"]]
        if meta.get("kind") == "remove":
            comment = entry["changes"][meta["item"]]["value"]["comment_id"]
            raise Discard(deleted.forget(meta["brand"], "facebook_page", f"meta.comment.{comment}"))
        if meta.get("kind") == "feed":
            return _feed(entry["changes"][meta["item"]]["value"])
        item = entry["messaging"][meta["item"]]
        if meta["kind"] in ("delivery", "read"):
            raise Discard(_receipt(item, meta))
        return _messaging(item, meta["kind"], IDENTITY[meta["provider"]])
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise Quarantine(f"Meta event unreadable: {type(exc).__name__}: {exc}") from exc


def _receipt(item: dict, meta: dict) -> str:
    """Delivered (per message id) or read (everything sent to the person before the watermark): the receipts."""
    from anliegen.channels.messaging import receipts
    from anliegen.core.models import Direction, Message

    channel = "instagram" if meta["provider"] == "instagram" else "facebook"
    receipt = item.get("delivery") or item.get("read") or {}
    when = receipts.at(int(receipt.get("watermark") or item.get("timestamp") or 0) // 1000)
    if meta["kind"] == "delivery" and receipt.get("mids"):
        ids = [f"meta.{mid}" for mid in receipt["mids"]]
    else:
        ids = list(
            Message.objects.filter(
                brand_id=meta["brand"], channel=channel, direction=Direction.OUT,
                address=str(item["sender"]["id"]), created_at__lte=when,
            ).exclude(external_id="").order_by("-id").values_list("external_id", flat=True)[:50]
        )  # fmt: skip
    status = "delivered" if meta["kind"] == "delivery" else "read"
    outcomes = [receipts.record(meta["brand"], channel, i, status, when) for i in ids]
    return f"{meta['kind']}: " + ("; ".join(outcomes) or "no message of ours")


def _messaging(item: dict, kind: str, identity: str) -> ParsedMessage:
    sender = str(item["sender"]["id"])
    attachments: list[ParsedAttachment] = []
    in_reply_to: list[str] = []
    if kind == "edit":
        edit = item["message_edit"]
        text, own = edit.get("text") or "", f"meta.edit.{edit['mid']}.{edit.get('num_edit', 0)}"
        in_reply_to = [f"meta.{edit['mid']}"]  # the edited message's case
    elif kind == "postback":
        postback = item["postback"]
        text, own = (
            postback.get("title") or postback.get("payload") or "",
            f"meta.postback.{postback.get('mid') or item.get('timestamp')}",
        )
    else:
        message = item["message"]
        text, own = message.get("text") or "", f"meta.{message['mid']}"
        if (reply_to := (message.get("reply_to") or {}).get("mid")) is not None:
            in_reply_to = [f"meta.{reply_to}"]
        for n, attachment in enumerate(message.get("attachments") or []):
            url = ((attachment.get("payload") or {}).get("url")) or ""
            if url:
                # Meta's attachment URLs expire; the address is kept for the agent, the file is not fetched here.
                attachments.append(
                    ParsedAttachment(f"{attachment.get('type', 'file')}-{n + 1}.url", "text/uri-list", url.encode())
                )
    return ParsedMessage(
        identities=[(identity, sender)],
        subject=_subject(text),
        text=text,
        attachments=attachments,
        external_id=own,
        in_reply_to=in_reply_to,
        sent_at=_at(item.get("timestamp")),
        to_open_case=True,
    )


def _feed(value: dict) -> ParsedMessage:
    author = value["from"]
    text = value.get("message") or ""
    if value.get("item") == "comment":
        own = f"meta.comment.{value['comment_id']}"
        parent = value.get("parent_id") or value.get("post_id") or ""
        in_reply_to = [f"meta.post.{parent}" if parent == value.get("post_id") else f"meta.comment.{parent}"]
    else:
        own, in_reply_to = f"meta.post.{value['post_id']}", []
    if value.get("verb") == "edited":
        in_reply_to, own = [own], f"{own}.edit.{value.get('created_time', '')}"
    return ParsedMessage(
        sender_name=author.get("name") or "",
        identities=[("facebook_psid", str(author["id"]))],
        subject=_subject(text),
        text=text,
        external_id=own,
        in_reply_to=[r for r in in_reply_to if r.rpartition(".")[2]],
        public=True,
        sent_at=_at(value.get("created_time")),
        to_open_case=True,
    )


def _subject(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= SUBJECT_CHARS else line[: SUBJECT_CHARS - 1].rstrip() + "…"


def _at(stamp: object) -> str:
    try:
        seconds = float(stamp)
    except (TypeError, ValueError):
        return ""
    return datetime.fromtimestamp(seconds / 1000 if seconds > 1e11 else seconds, tz=UTC).isoformat()
