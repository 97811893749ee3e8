"""A stored Account Activity body -> the one tweet or direct message its meta points at.

A tweet is public: it threads by the tweet it answers (in_reply_to_status_id), so a reply to our reply joins
the case. A direct message is private and joins the sender's open case. The sender's X account id is the
identity (the handle can be renamed and taken by someone else); their handle and name come along.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

from anliegen.base.parsed import ParsedAttachment, ParsedMessage
from anliegen.channels.social import deleted
from anliegen.intake.context import Discard, Quarantine

SUBJECT_CHARS = 80


def tweet_id(external_id: str) -> str:
    """The provider's id inside our external id ("x.tweet.123" -> "123")."""
    return external_id.rpartition(".")[2]


def parse(raw: bytes, meta: dict) -> ParsedMessage:
    try:
        data = json.loads(bytes(raw))
        if meta.get("kind") == "delete":
            status = data["tweet_delete_events"][meta["index"]]["status"]
            raise Discard(deleted.forget(meta["brand"], "x", f"x.tweet.{status['id']}"))
        if meta.get("kind") == "dm":
            return _dm(data, data["direct_message_events"][meta["index"]])
        return _tweet(data["tweet_create_events"][meta.get("index", 0)])
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        raise Quarantine(f"X event unreadable: {type(exc).__name__}: {exc}") from exc


def _tweet(tweet: dict) -> ParsedMessage:
    user = tweet["user"]
    text = (tweet.get("extended_tweet") or {}).get("full_text") or tweet.get("text") or ""
    parent = tweet.get("in_reply_to_status_id_str") or ""
    return ParsedMessage(
        sender_name=user.get("name") or "",
        identities=[("x_id", str(user["id_str"]))],
        subject=_subject(text),
        text=text,
        external_id=f"x.tweet.{tweet['id_str']}",
        in_reply_to=[f"x.tweet.{parent}"] if parent else [],
        language=_language(tweet.get("lang")),
        public=True,
        sent_at=_posted(tweet.get("timestamp_ms") or ""),
        headers={"x_handle": user.get("screen_name") or ""},
        to_open_case=True,
    )


def _dm(data: dict, event: dict) -> ParsedMessage:
    create = event["message_create"]
    sender = str(create["sender_id"])
    user = (data.get("users") or {}).get(sender) or {}
    message = create.get("message_data") or {}
    text = message.get("text") or ""
    attachments = []
    media = (message.get("attachment") or {}).get("media") or {}
    if media:
        # The media itself needs the account's OAuth token to fetch; its address is kept for the agent.
        url = media.get("media_url_https") or media.get("url") or ""
        attachments.append(
            ParsedAttachment(
                f"{media.get('type', 'media')}-{media.get('id_str', '')}.url", "text/uri-list", url.encode()
            )
        )
    return ParsedMessage(
        sender_name=user.get("name") or "",
        identities=[("x_id", sender)],
        subject=_subject(text),
        text=text,
        attachments=attachments,
        external_id=f"x.dm.{event['id']}",
        sent_at=_posted(event.get("created_timestamp") or ""),
        headers={"x_handle": user.get("screen_name") or ""},
        to_open_case=True,
    )


def _subject(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= SUBJECT_CHARS else line[: SUBJECT_CHARS - 1].rstrip() + "…"


def _language(lang: object) -> str:
    return lang if lang in ("de", "en") else ""


def _posted(millis: str) -> str:
    try:
        return datetime.fromtimestamp(int(millis) / 1000, tz=UTC).isoformat()
    except (TypeError, ValueError):
        return ""
