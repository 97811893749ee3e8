"""The visitor's websocket: hello (or resume), lines and files through intake, typing, the e-mail fallback."""

from __future__ import annotations

import json
import logging
import uuid

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from anliegen.base.realtime import PushesSkipTheOrmThread
from anliegen.core.models import Brand

from . import greeting, inbound, services, session
from .inbound import ChatRefused
from .models import Conversation
from .outbound import conversation_group, desk_group

log = logging.getLogger(__name__)
MAX_FRAME = 8 * 1024 * 1024  # an upload's base64 fits; anything larger is refused, not read
MAX_LINE_FRAME = 16 * 1024  # every other frame is a short JSON object
CLOSE_UNKNOWN_BRAND = 4404
CLOSE_ORIGIN = 4403
CLOSE_RATE = 4429


@database_sync_to_async
def _door(slug: str) -> session.Door | None:
    return session.door(slug)


@database_sync_to_async
def _call(fn, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN202 - a thin hop to the ORM thread
    return fn(*args, **kwargs)


def _hello(d: session.Door, frame: dict) -> dict:
    """Resume the conversation the token names (or say why not) and greet with owner, wait and incidents."""
    result: dict = {"type": "welcome"}
    conversation = None
    token = frame.get("resume")
    if isinstance(token, str) and token:
        try:
            conversation = session.from_token(token, d.brand_id)
        except session.ResumeError as exc:
            result["resume_error"] = f"resume_{exc}"
    language = frame.get("lang") if frame.get("lang") in ("de", "en") else d.language
    title = frame.get("title") if isinstance(frame.get("title"), str) else ""
    result |= greeting.greeting(Brand.objects.get(pk=d.brand_id), conversation, language, title)
    if conversation is not None:
        page = frame.get("page")
        if isinstance(page, str) and page:
            session.set_page(conversation, page)
        session.opened(conversation)
        result |= {
            "resume": session.resume_token(conversation),
            "history": services.history(conversation),
            "email": conversation.email,
        }
    return result | {"_conversation": conversation}


class VisitorConsumer(PushesSkipTheOrmThread, AsyncWebsocketConsumer):
    """One browser tab of one visitor; every frame is a JSON object with a "type"."""

    pushes = ("chat.frame",)

    door: session.Door | None = None
    conversation: Conversation | None = None
    page: str = ""
    language: str = ""

    async def connect(self) -> None:
        slug = self.scope["url_route"]["kwargs"]["brand"]
        self.ip = (self.scope.get("client") or ["unknown"])[0]
        headers = dict(self.scope.get("headers") or [])
        self.door = await _door(slug)
        if self.door is None:
            await self.close(code=CLOSE_UNKNOWN_BRAND)
            return
        if not session.allowed_origin(self.door, headers.get(b"origin", b"").decode("latin-1")):
            await self.close(code=CLOSE_ORIGIN)  # before accept: the handshake is refused with 403
            return
        await self.accept()
        if not await _call(session.may_connect, self.ip):
            await self.error("rate_limited", "too many chats from this address; try again in a minute")
            await self.close(code=CLOSE_RATE)

    async def disconnect(self, code: int) -> None:
        if self.conversation is not None:
            await self.channel_layer.group_discard(conversation_group(self.conversation.pk), self.channel_name)
            await _call(session.closed, self.conversation.pk)
            await self.to_desk({"type": "chat.presence", "online": False})

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if bytes_data is not None:
            await self.error("binary", "frames are JSON text; binary frames are not read")
            return
        if len(text_data or "") > MAX_FRAME:
            await self.error("too_large", "frame too large")
            return
        try:
            frame = json.loads(text_data or "")
        except ValueError:
            frame = None
        if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
            await self.error("bad_frame", "a frame is a JSON object with a type")
            return
        kind = frame["type"]
        if kind != "upload" and len(text_data) > MAX_LINE_FRAME:
            await self.error("too_large", "frame too large", frame.get("id"))
            return
        handler = (
            getattr(self, f"on_{kind}", None)
            if kind in ("hello", "message", "upload", "typing", "email", "transcript", "page", "suggest")
            else None
        )
        if handler is None:
            await self.error("unknown_type", f"unknown frame type {kind[:40]!r}")
            return
        try:
            await handler(frame)
        except ChatRefused as exc:
            await self.error(exc.code, str(exc), frame.get("id"))
        except Exception:  # noqa: BLE001 - the visitor gets a clear error; what was stored stays stored
            log.exception("chat frame %s failed", kind)
            await self.error("server", "could not be handled now; please try again", frame.get("id"))

    async def send_json(self, frame: dict) -> None:
        await self.send(text_data=json.dumps(frame))

    async def error(self, code: str, detail: str, ref: object = None) -> None:
        await self.send_json({"type": "error", "code": code, "detail": detail} | ({"id": ref} if ref else {}))

    async def to_desk(self, frame: dict) -> None:
        if self.conversation is None:
            return
        payload = frame | {"conversation": self.conversation.pk, "case": self.conversation.case_id}
        await self.channel_layer.group_send(desk_group(self.door.brand_id), {"type": "chat.frame", "frame": payload})

    async def join(self, conversation: Conversation) -> None:
        self.conversation = conversation
        await self.channel_layer.group_add(conversation_group(conversation.pk), self.channel_name)

    async def on_hello(self, frame: dict) -> None:
        if self.conversation is not None:
            return  # one hello per socket
        self.page = frame.get("page") if isinstance(frame.get("page"), str) else ""
        self.language = frame.get("lang") if frame.get("lang") in ("de", "en") else ""
        welcome = await _call(_hello, self.door, frame)
        conversation = welcome.pop("_conversation")
        if conversation is not None:
            await self.join(conversation)
            await self.to_desk({"type": "chat.presence", "online": True, "page": conversation.page_url})
        await self.send_json(welcome)

    async def ensure_conversation(self) -> bool:
        """The conversation starts with the first line; True when it was made just now."""
        if self.conversation is not None:
            return False
        conversation = await _call(session.start, self.door, self.page, self.language)
        await _call(session.opened, conversation)
        await self.join(conversation)
        return True

    async def on_message(self, frame: dict, files: list | None = None) -> None:
        text = frame.get("text") if isinstance(frame.get("text"), str) else ""
        client_id = str(frame.get("id") or uuid.uuid4().hex)
        started = await self.ensure_conversation()
        if not await _call(session.may_send, self.ip, self.conversation.pk):
            raise ChatRefused("rate_limited", "too many messages; wait a moment")
        answer = await _call(inbound.say, self.conversation, client_id, text, files, self.ip)
        ack = {
            "type": "ack",
            "id": frame.get("id"),
            "message": answer.message_id,
            "state": answer.state,
            "owner": {"name": answer.owner_name, "initials": greeting.initials(answer.owner_name)}
            if answer.owner_name
            else None,
            "due": answer.due,
        }
        if answer.message_id:
            # Before the resume token's hop to the ORM thread, which may queue behind other sockets' lines.
            await self.to_desk(
                {
                    "type": "chat.message",
                    "id": answer.message_id,
                    "from": "visitor",
                    "author": "",
                    "text": inbound.clean_text(text) or (files[0].filename if files else ""),
                    "page": self.conversation.page_url,
                    "new": started,
                }
            )
        if started:
            ack["resume"] = await _call(session.resume_token, self.conversation)
        await self.send_json(ack)

    async def on_upload(self, frame: dict) -> None:
        name, kind, data = (frame.get(k) for k in ("name", "content_type", "data"))
        if not all(isinstance(v, str) for v in (name, kind, data)):
            raise ChatRefused("bad_file", "an upload names the file and carries its data")
        checked = await _call(inbound.check_file, name, kind, data)
        await self.on_message({"id": frame.get("id"), "text": frame.get("text") or ""}, [checked])

    async def on_typing(self, frame: dict) -> None:
        await self.to_desk({"type": "chat.typing"})

    async def on_suggest(self, frame: dict) -> None:
        """Help articles about the line being typed (the widget asks after a pause, before sending)."""
        text = frame.get("text") if isinstance(frame.get("text"), str) else ""
        brand = await _call(Brand.objects.get, pk=self.door.brand_id)
        found = await _call(greeting.articles, brand, text, self.language or self.door.language)
        await self.send_json({"type": "articles", "articles": found})

    async def on_page(self, frame: dict) -> None:
        if self.conversation is not None and isinstance(frame.get("url"), str):
            await _call(session.set_page, self.conversation, frame["url"])
            await self.to_desk({"type": "chat.presence", "online": True, "page": self.conversation.page_url})

    async def on_email(self, frame: dict) -> None:
        await self.ensure_conversation()
        address = frame.get("address") if isinstance(frame.get("address"), str) else ""
        name = frame.get("name") if isinstance(frame.get("name"), str) else ""
        await _call(services.leave_email, self.conversation, address, name)
        transcript = bool(frame.get("transcript")) and bool(self.conversation.case_id)
        if transcript:
            await _call(services.send_transcript, self.conversation)
        await self.send_json({"type": "email_saved", "address": self.conversation.email, "transcript": transcript})

    async def on_transcript(self, frame: dict) -> None:
        if self.conversation is None:
            raise ChatRefused("nothing_yet", "nothing written yet")
        await _call(services.send_transcript, self.conversation)
        await self.send_json({"type": "transcript_sent", "address": self.conversation.email})

    async def chat_frame(self, message: dict) -> None:
        await self.send_json(message["frame"])
