"""A push reaches the agent's socket at once, even while the ORM thread works through a burst of lines."""

from __future__ import annotations

import asyncio
import time

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.layers import get_channel_layer

from anliegen.channels.chat.outbound import desk_group

from .conftest import agent_socket


@pytest.mark.django_db(transaction=True)
def test_a_push_does_not_wait_for_the_orm_thread(chat_setup, brand):
    desk = agent_socket("anna")
    group = desk_group(brand.pk)

    async def run() -> float:
        connected, _ = await desk.connect()
        assert connected
        busy = asyncio.ensure_future(sync_to_async(time.sleep)(3))  # the ORM thread, busy with other sockets' work
        await asyncio.sleep(0.05)
        began = time.perf_counter()
        frame = {"type": "chat.message", "conversation": 1, "text": "Hallo"}
        await get_channel_layer().group_send(group, {"type": "chat.frame", "frame": frame})
        seen = await desk.receive_json_from(timeout=2)
        took = time.perf_counter() - began
        await busy
        await desk.disconnect()
        assert seen["text"] == "Hallo"
        return took

    assert async_to_sync(run)() < 1
