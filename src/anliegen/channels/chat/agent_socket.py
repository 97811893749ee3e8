"""The agent's chat socket: every chat of the agent's brands, live; lines and typing go back to the visitor."""

from __future__ import annotations

import json
import logging

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from anliegen.base.realtime import PushesSkipTheOrmThread
from anliegen.core.models import Agent, Case, Membership
from anliegen.desk import scope
from anliegen.desk.consumers import FollowsMemberships

from . import services
from .inbound import ChatRefused
from .models import Conversation
from .outbound import conversation_group, desk_group

log = logging.getLogger(__name__)
CLOSE_ANONYMOUS = 4401
CLOSE_NOT_AGENT = 4403


@database_sync_to_async
def _agent(user: object) -> tuple[Agent, list[int]] | None:
    agent = scope.agent_of(user)
    return None if agent is None else (agent, scope.brand_ids(agent))


def _current_brand_ids(agent: Agent) -> list[int]:
    # Read again for every frame: a membership taken away while the socket is open ends the agent's say at once.
    return list(Membership.objects.filter(agent_id=agent.pk).values_list("brand_id", flat=True))


@database_sync_to_async
def _say(agent: Agent, conversation_id: int, text: str) -> int:
    brand_ids = _current_brand_ids(agent)
    conversation = Conversation.objects.filter(pk=conversation_id, brand_id__in=brand_ids).first()
    case = (
        Case.objects.select_related("brand", "owner", "contact")
        .filter(pk=conversation.case_id, brand_id__in=brand_ids)
        .first()
        if conversation
        else None
    )
    if case is None:
        raise ChatRefused("not_found", "no such chat")  # another brand's chat looks exactly like a missing one
    return services.agent_says(agent, case, text).pk


@database_sync_to_async
def _allowed(agent: Agent, conversation_id: int) -> bool:
    return Conversation.objects.filter(pk=conversation_id, brand_id__in=_current_brand_ids(agent)).exists()


class AgentChatConsumer(FollowsMemberships, PushesSkipTheOrmThread, AsyncWebsocketConsumer):
    pushes = ("chat.frame",)
    group_of = staticmethod(desk_group)

    async def connect(self) -> None:
        self.joined: list[str] = []
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_ANONYMOUS)
            return
        found = await _agent(user)
        if found is None:
            await self.close(code=CLOSE_NOT_AGENT)
            return
        self.agent, self.brand_ids = found
        for brand_id in self.brand_ids:
            await self.channel_layer.group_add(desk_group(brand_id), self.channel_name)
            self.joined.append(desk_group(brand_id))
        await self.accept()
        self.follow_memberships(user.pk)

    async def disconnect(self, code: int) -> None:
        self.stop_following()
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            frame = json.loads(text_data or "")
            conversation_id = int(frame["conversation"])
        except (ValueError, TypeError, KeyError):
            await self.send_json({"type": "error", "code": "bad_frame"})
            return
        try:
            if frame.get("type") == "say":
                message_id = await _say(self.agent, conversation_id, str(frame.get("text") or ""))
                await self.send_json({"type": "said", "id": frame.get("id"), "message": message_id})
            elif frame.get("type") == "typing" and await _allowed(self.agent, conversation_id):
                typing = {"type": "typing", "author": self.agent.name}
                await self.channel_layer.group_send(
                    conversation_group(conversation_id), {"type": "chat.frame", "frame": typing}
                )
        except ChatRefused as exc:
            await self.send_json({"type": "error", "code": exc.code, "detail": str(exc), "id": frame.get("id")})

    async def send_json(self, frame: dict) -> None:
        await self.send(text_data=json.dumps(frame))

    async def chat_frame(self, message: dict) -> None:
        await self.send_json(message["frame"])
