"""The desk's websocket: a signed-in agent hears about new and changed cases of their brands, nothing else."""

from __future__ import annotations

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from anliegen.base.realtime import PushesSkipTheOrmThread, brand_group

from . import scope

# Close codes the browser can tell apart (4000-4999 are the application's own).
CLOSE_ANONYMOUS = 4401
CLOSE_NOT_AGENT = 4403


@database_sync_to_async
def _brand_ids_of(user: object) -> list[int] | None:
    agent = scope.agent_of(user)
    return None if agent is None else scope.brand_ids(agent)


class DeskConsumer(PushesSkipTheOrmThread, AsyncJsonWebsocketConsumer):
    """Joins `brand.<id>` for each of the agent's brands and forwards "desk.event" messages as JSON."""

    pushes = ("desk.event",)

    joined: list[str]

    async def connect(self) -> None:
        self.joined = []
        user = self.scope.get("user")
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_ANONYMOUS)
            return
        ids = await _brand_ids_of(user)
        if ids is None:
            await self.close(code=CLOSE_NOT_AGENT)
            return
        for brand_id in ids:
            group = brand_group(brand_id)
            await self.channel_layer.group_add(group, self.channel_name)
            self.joined.append(group)
        await self.accept()

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content: object, **kwargs: object) -> None:
        # The desk only listens; anything the browser sends is ignored.
        return

    async def desk_event(self, message: dict) -> None:
        await self.send_json(message["event"])
