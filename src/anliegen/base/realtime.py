"""Publish desk events to websocket groups, from any thread or process.

In embedded mode the in-memory channel layer lives in the web server's event loop; workers that run as
threads of the same process hand their events to that loop. In scale-out mode the layer is Redis and any
process publishes directly.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

log = logging.getLogger(__name__)
_server_loop: asyncio.AbstractEventLoop | None = None


def brand_group(brand_id: int) -> str:
    return f"brand.{brand_id}"


def bind_server_loop(loop: asyncio.AbstractEventLoop) -> None:
    global _server_loop
    _server_loop = loop


async def apublish(event: dict) -> None:
    layer = get_channel_layer()
    if layer is not None:
        await layer.group_send(brand_group(event["brand"]), {"type": "desk.event", "event": event})


async def apublish_many(events: list[dict]) -> None:
    for event in events:
        await apublish(event)


async def agroup_send(group: str, message: dict) -> None:
    layer = get_channel_layer()
    if layer is not None:
        await layer.group_send(group, message)


def _on_server_loop(send: Callable[..., Coroutine[Any, Any, None]], *args: object) -> None:
    """Run `send(*args)` where the in-memory layer lives: as a task when already on the server's loop, handed to
    that loop from another thread, or (no server in this process) in a loop of its own until it is done."""
    loop = _server_loop
    if loop is not None and loop.is_running():
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is loop:
            loop.create_task(send(*args))
        else:
            asyncio.run_coroutine_threadsafe(send(*args), loop)
        return
    async_to_sync(send)(*args)


def group_send(group: str, message: dict) -> None:
    """Hand one message to any websocket group (chat frames) from sync code, like publish_many does."""
    try:
        _on_server_loop(agroup_send, group, message)
    except Exception:  # noqa: BLE001 - a missed push must never undo or block the change itself
        log.exception("could not send to %s", group)


def publish(event: dict) -> None:
    publish_many([event])


def publish_many(events: list[dict]) -> None:
    """Hand several events to the layer with one thread hop (a pipeline batch publishes this way)."""
    if not events:
        return
    try:
        _on_server_loop(apublish_many, events)
    except Exception:  # noqa: BLE001 - a missed push must never undo or block the change itself
        log.exception("could not publish %s desk event(s)", len(events))


class PushesSkipTheOrmThread:
    """Consumer mixin: the pushes it only forwards (`pushes`, message types) go straight to their handler.

    Channels closes stale database connections before every handler, in the one thread all ORM calls share;
    while that thread works through a burst (1,000 chat lines each running the pipeline), every push waited
    behind it and the desk saw the lines only when the burst was over. A forwarding handler touches no database.
    """

    pushes: tuple[str, ...] = ()

    async def dispatch(self, message: dict) -> None:
        kind = message.get("type", "")
        if kind in self.pushes:
            await getattr(self, kind.replace(".", "_"))(message)
            return
        await super().dispatch(message)
