"""Many conversations speaking at once: the agent's socket gets every frame, none dropped by the channel layer."""

from __future__ import annotations

import asyncio

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer


def test_a_burst_of_frames_to_one_socket_is_kept_whole():
    layer = get_channel_layer()

    async def burst() -> int:
        channel = await layer.new_channel()
        await layer.group_add("desk-burst", channel)
        for n in range(1000):
            await layer.group_send("desk-burst", {"type": "chat.frame", "n": n})
        received = set()
        try:
            while len(received) < 1000:
                received.add((await asyncio.wait_for(layer.receive(channel), 1))["n"])
        except TimeoutError:
            pass  # the rest was dropped
        await layer.group_discard("desk-burst", channel)
        return len(received)

    assert async_to_sync(burst)() == 1000
