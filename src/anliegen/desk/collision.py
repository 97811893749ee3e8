"""Who else has a case open: "viewing" and "typing" notices between agents' desk sockets, brand-scoped.

Nothing is kept on the server: each socket says what its agent does, the others forget what they were not told
again within `TTL` seconds. That works alike with the in-memory layer and with Redis, across processes.
"""

from __future__ import annotations

import hashlib

from channels.db import database_sync_to_async

from anliegen.core.models import Agent

from . import scope

# The browser repeats its state every HEARTBEAT seconds; a tab that misses two beats (sleep, lost network) is gone.
HEARTBEAT = 15
TTL = 40
STATES = ("viewing", "typing", "noting")  # noting: writing an internal note


def case_group(case_id: int) -> str:
    return f"case.{case_id}.watchers"


@database_sync_to_async
def _may_watch(agent: Agent, case_id: int) -> bool:
    # Read the memberships afresh: the socket may be older than a change of the agent's brands.
    agent = Agent.objects.select_related("user").get(pk=agent.pk)
    return scope.visible_cases(agent).filter(pk=case_id).exists()


class CaseWatching:
    """Mixin for the desk consumer: `watch` frames join one case's watchers, after the brand check."""

    agent: Agent
    watching: int | None = None
    state: str = "viewing"

    @property
    def tab(self) -> str:
        # An opaque name of this browser tab (the same agent may have the case open twice); not the channel name.
        return hashlib.sha256(self.channel_name.encode()).hexdigest()[:12]

    def _frame(self, state: str, ask: bool = False) -> dict:
        return {
            "type": "collision.frame",
            "sender": self.channel_name,
            "ask": ask,
            "frame": {
                "type": "case.watcher",
                "case": self.watching,
                "tab": self.tab,
                "agent": self.agent.pk,
                "name": self.agent.name,
                "state": state,
                "ttl": TTL,
            },
        }

    async def on_watch(self, content: dict) -> None:
        """{"type": "watch", "case": id, "state": "viewing"|"typing"|"noting"}: join (checked once), or a heartbeat."""
        try:
            case_id = int(content.get("case"))
        except (TypeError, ValueError):
            return
        state = content.get("state") if content.get("state") in STATES else "viewing"
        if case_id != self.watching:
            await self.stop_watching()
            if not await _may_watch(self.agent, case_id):
                # The same answer for another brand's case and one that does not exist.
                await self.send_json({"type": "case.watch_refused", "case": case_id})
                return
            self.watching = case_id
            await self.channel_layer.group_add(case_group(case_id), self.channel_name)
            await self.send_json({"type": "case.watching", "case": case_id, "heartbeat": HEARTBEAT, "ttl": TTL})
            self.state = state
            # The newcomer asks: everyone already there answers with their own state.
            await self.channel_layer.group_send(case_group(case_id), self._frame(state, ask=True))
            return
        self.state = state
        await self.channel_layer.group_send(case_group(case_id), self._frame(state))

    async def stop_watching(self) -> None:
        if self.watching is None:
            return
        group = case_group(self.watching)
        await self.channel_layer.group_send(group, self._frame("left"))
        await self.channel_layer.group_discard(group, self.channel_name)
        self.watching = None

    async def collision_frame(self, message: dict) -> None:
        if message["sender"] == self.channel_name or self.watching != message["frame"]["case"]:
            return
        await self.send_json(message["frame"])
        if message["ask"]:
            await self.channel_layer.group_send(case_group(self.watching), self._frame(self.state))
