"""The desk's websocket: a signed-in agent hears about new and changed cases of their brands, nothing else,
and who else has the agent's open case in front of them (collision.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from anliegen.base.realtime import PushesSkipTheOrmThread, brand_group
from anliegen.core.models import Agent, Membership

from . import scope
from .collision import CaseWatching

# Close codes the browser can tell apart (4000-4999 are the application's own).
CLOSE_ANONYMOUS = 4401
CLOSE_NOT_AGENT = 4403


@database_sync_to_async
def _agent_and_brands(user: object) -> tuple[Agent | None, list[int]]:
    agent = scope.agent_of(user)
    return agent, [] if agent is None else scope.brand_ids(agent)


def _brand_ids_now(user_id: int) -> list[int] | None:
    """The brands of an active user's agent, read now (None: the account is gone, inactive or no agent)."""
    agent = Agent.objects.filter(user_id=user_id, user__is_active=True).first()
    if agent is None:
        return None
    return sorted(Membership.objects.filter(agent=agent).values_list("brand_id", flat=True))


# Off the one ORM thread the pushes avoid (PushesSkipTheOrmThread): a check a minute per socket waits for no burst.
_read_brand_ids = database_sync_to_async(_brand_ids_now, thread_sensitive=False)


class FollowsMemberships:
    """Consumer mixin: the brand groups joined at connect follow the agent's memberships while the socket is
    open. Every DESK_SOCKET_RECHECK_SECONDS they are read again: a brand taken away is left (no more of its
    pushes), one given is joined, and a deactivated account is closed."""

    joined: list[str]
    group_of: Callable[[int], str]

    def follow_memberships(self, user_id: int) -> None:
        self._follower = asyncio.ensure_future(self._follow(user_id))

    def stop_following(self) -> None:
        follower = getattr(self, "_follower", None)
        if follower is not None:
            follower.cancel()

    async def _follow(self, user_id: int) -> None:
        while True:
            await asyncio.sleep(settings.DESK_SOCKET_RECHECK_SECONDS)
            ids = await _read_brand_ids(user_id)
            if ids is None:
                await self.close(code=CLOSE_NOT_AGENT)
                return
            wanted = [self.group_of(pk) for pk in ids]
            for group in [g for g in self.joined if g not in wanted]:
                await self.channel_layer.group_discard(group, self.channel_name)
                self.joined.remove(group)
            for group in [g for g in wanted if g not in self.joined]:
                await self.channel_layer.group_add(group, self.channel_name)
                self.joined.append(group)


class DeskConsumer(FollowsMemberships, CaseWatching, PushesSkipTheOrmThread, AsyncJsonWebsocketConsumer):
    """Joins `brand.<id>` for each of the agent's brands and forwards "desk.event" messages as JSON."""

    pushes = ("desk.event", "collision.frame")
    group_of = staticmethod(brand_group)

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
        self.follow_memberships(user.pk)

    async def disconnect(self, code: int) -> None:
        self.stop_following()
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
