"""The desk's websocket: a signed-in agent hears about new and changed cases of their brands, nothing else,
and who else has the agent's open case in front of them (collision.py)."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from anliegen.base.realtime import PushesSkipTheOrmThread, brand_group
from anliegen.core.models import Agent

from . import scope
from .collision import CaseWatching

# Close codes the browser can tell apart (4000-4999 are the application's own).
CLOSE_ANONYMOUS = 4401
CLOSE_NOT_AGENT = 4403


@database_sync_to_async
def _agent_and_brands(user: object) -> tuple[Agent | None, list[int]]:
    agent = scope.agent_of(user)
    return agent, [] if agent is None else scope.brand_ids(agent)


class DeskConsumer(CaseWatching, PushesSkipTheOrmThread, AsyncJsonWebsocketConsumer):
    """Joins `brand.<id>` for each of the agent's brands and forwards "desk.event" messages as JSON."""

    pushes = ("desk.event", "collision.frame")

    joined: list[str]

    async def connect(self) -> None:
        self.joined = []
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_ANONYMOUS)
            return
        agent, ids = await _agent_and_brands(user)
        if agent is None:
            await self.close(code=CLOSE_NOT_AGENT)
            return
        self.agent = agent
        for brand_id in ids:
            group = brand_group(brand_id)
            await self.channel_layer.group_add(group, self.channel_name)
            self.joined.append(group)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        if getattr(self, "agent", None) is not None:
            await self.stop_watching()  # a closed tab is gone at once for the others
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: object, **kwargs: object) -> None:
        # The browser only says which case it shows and whether its agent types; anything else is ignored.
        if isinstance(content, dict) and content.get("type") == "watch":
            await self.on_watch(content)

    async def desk_event(self, message: dict) -> None:
        await self.send_json(message["event"])
