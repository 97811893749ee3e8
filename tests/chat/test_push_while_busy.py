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


@pytest.mark.django_db(transaction=True)
def test_the_first_line_reaches_the_desk_before_the_resume_token_is_made(chat_setup, brand, monkeypatch):
    from anliegen.channels.chat import session

    from .conftest import visitor

    made = session.resume_token

    def slow_token(conversation: object) -> str:
        time.sleep(2)  # the ORM thread busy with other sockets' lines before it gets to the token
        return made(conversation)

    monkeypatch.setattr(session, "resume_token", slow_token)
    desk = agent_socket("anna")
    socket = visitor()

    async def run() -> None:
        await desk.connect()
        await socket.connect()
        await socket.send_json_to({"type": "hello"})
        await socket.receive_json_from(timeout=5)
        await socket.send_json_to({"type": "message", "id": "c1", "text": "Meine Heizung ist kalt"})
        seen = await desk.receive_json_from(timeout=15)
        while seen["type"] != "chat.message":
            seen = await desk.receive_json_from(timeout=15)
        assert seen["new"] and await socket.receive_nothing(timeout=0.1)  # the ack (with the token) is still due
        ack = await socket.receive_json_from(timeout=10)
        assert ack["type"] == "ack" and ack["resume"]
        await socket.disconnect()
        await desk.disconnect()

    async_to_sync(run)()
