"""A visitor's conversation: starting it, the signed resume token, where it may be embedded, its limits."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing
from django.db.models import F
from django.utils import timezone

from anliegen.base import ratelimit
from anliegen.core.models import Brand

from .models import ChatSetup, Conversation

SALT = "anliegen.chat.resume"


class ResumeError(Exception):
    """The resume token is tampered with, names no conversation, or has expired; the message says which."""


@dataclass(frozen=True)
class Door:
    """What a visitor socket needs to know about its brand, read once at connect."""

    brand_id: int
    slug: str
    name: str
    language: str
    origins: frozenset[str]


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower() if parts.scheme and parts.netloc else ""


def door(slug: str) -> Door | None:
    brand = Brand.objects.filter(slug=slug).first()
    if brand is None:
        return None
    setup = ChatSetup.objects.filter(brand=brand).first()
    if setup is not None and not setup.enabled:
        return None
    origins = {origin_of(settings.BASE_URL)} | {o.rstrip("/").lower() for o in (setup.origins if setup else [])}
    return Door(brand.pk, brand.slug, brand.name, brand.default_language, frozenset(origins - {""}))


def allowed_origin(d: Door, origin: str) -> bool:
    # A page may embed the widget only from a site the brand named: another site cannot talk as its visitors.
    return bool(origin) and origin.rstrip("/").lower() in d.origins


def resume_token(conversation: Conversation) -> str:
    return signing.dumps({"v": conversation.pk, "k": conversation.key}, salt=SALT, compress=True)


def from_token(token: str, brand_id: int) -> Conversation:
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.CHAT_RESUME_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise ResumeError("expired") from exc
    except signing.BadSignature as exc:
        raise ResumeError("invalid") from exc
    conversation = Conversation.objects.filter(pk=data.get("v"), brand_id=brand_id).first()
    if conversation is None or conversation.key != data.get("k"):
        raise ResumeError("invalid")
    return conversation


def start(d: Door, page_url: str, language: str) -> Conversation:
    return Conversation.objects.create(
        brand_id=d.brand_id, page_url=page_url[:1000], language=language if language in ("de", "en") else ""
    )


def opened(conversation: Conversation) -> None:
    Conversation.objects.filter(pk=conversation.pk).update(
        connections=F("connections") + 1, last_seen_at=timezone.now()
    )


def closed(conversation_id: int) -> None:
    Conversation.objects.filter(pk=conversation_id, connections__gt=0).update(
        connections=F("connections") - 1, last_seen_at=timezone.now()
    )


def set_page(conversation: Conversation, page_url: str) -> None:
    conversation.page_url = page_url[:1000]
    Conversation.objects.filter(pk=conversation.pk).update(page_url=conversation.page_url)


def may_connect(ip: str) -> bool:
    return ratelimit.consume("chat-connect", [ip], ratelimit.parse_rate(settings.CHAT_CONNECT_RATE))


def may_send(ip: str, conversation_id: int | None) -> bool:
    by_ip = ratelimit.consume("chat-message-ip", [ip], ratelimit.parse_rate(settings.CHAT_IP_MESSAGE_RATE))
    if not conversation_id:
        return by_ip
    rate = ratelimit.parse_rate(settings.CHAT_MESSAGE_RATE)
    return ratelimit.consume("chat-message", [str(conversation_id)], rate) and by_ip
