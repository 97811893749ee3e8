"""Collision notice over the desk socket: who else views or types in a case, only within the case's brand."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from channels.testing import WebsocketCommunicator

from anliegen.asgi import application
from anliegen.core.models import Case, Contact, Membership
from anliegen.desk import collision

from .test_consumers import _cookie

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def two_cases(brand, agents) -> tuple[Case, Case]:
    contact = Contact.objects.create(brand=brand, name="Jana Krüger")
    first = Case.objects.create(brand=brand, contact=contact, owner=agents["anna"], subject="Zähler")
    second = Case.objects.create(brand=brand, contact=contact, owner=agents["anna"], subject="Abschlag")
    return first, second


async def _watch(socket: WebsocketCommunicator, case_id: int, state: str = "viewing") -> dict:
    await socket.send_json_to({"type": "watch", "case": case_id, "state": state})
    return await socket.receive_json_from(timeout=2)


def test_colleagues_see_each_other_view_type_and_leave(agents, two_cases):
    case = two_cases[0]
    # The sockets are opened in the test's thread: cookies need the ORM outside the event loop.
    anna_headers, ben_headers = _cookie("anna"), _cookie("ben")

    async def run() -> None:
        anna = WebsocketCommunicator(application, "/ws/desk/", headers=anna_headers)
        ben = WebsocketCommunicator(application, "/ws/desk/", headers=ben_headers)
        assert (await anna.connect())[0] and (await ben.connect())[0]
        joined = await _watch(anna, case.pk)
        assert joined == {"type": "case.watching", "case": case.pk, "heartbeat": 15, "ttl": 40}
        assert await anna.receive_nothing(timeout=0.2)  # alone: nobody answers, not even herself
        assert (await _watch(ben, case.pk))["type"] == "case.watching"
        # Anna hears Ben arrive; Ben hears Anna's answer to his question.
        seen_by_anna = await anna.receive_json_from(timeout=2)
        assert (seen_by_anna["name"], seen_by_anna["state"], seen_by_anna["case"]) == ("Ben Wagner", "viewing", case.pk)
        seen_by_ben = await ben.receive_json_from(timeout=2)
        assert (seen_by_ben["name"], seen_by_ben["state"], seen_by_ben["ttl"]) == ("Anna Schmidt", "viewing", 40)
        await anna.send_json_to({"type": "watch", "case": case.pk, "state": "typing"})
        assert (await ben.receive_json_from(timeout=2))["state"] == "typing"
        await anna.disconnect()
        gone = await ben.receive_json_from(timeout=2)
        assert (gone["name"], gone["state"]) == ("Anna Schmidt", "left")
        await ben.disconnect()

    async_to_sync(run)()


def test_switching_cases_leaves_the_first(agents, two_cases):
    first, second = two_cases
    anna_headers, ben_headers = _cookie("anna"), _cookie("ben")

    async def run() -> None:
        anna = WebsocketCommunicator(application, "/ws/desk/", headers=anna_headers)
        ben = WebsocketCommunicator(application, "/ws/desk/", headers=ben_headers)
        assert (await anna.connect())[0] and (await ben.connect())[0]
        await _watch(anna, first.pk)
        await _watch(ben, first.pk)
        await anna.receive_json_from(timeout=2)  # Ben arrives
        await ben.receive_json_from(timeout=2)  # Anna answers
        await _watch(anna, second.pk)
        left = await ben.receive_json_from(timeout=2)
        assert (left["name"], left["state"], left["case"]) == ("Anna Schmidt", "left", first.pk)
        await ben.send_json_to({"type": "watch", "case": first.pk, "state": "typing"})
        assert await anna.receive_nothing(timeout=0.3)  # she no longer hears the first case
        await anna.disconnect()
        await ben.disconnect()

    async_to_sync(run)()


def test_agent_of_another_brand_cannot_join_or_hear(agents, other_brand, two_cases):
    case = two_cases[0]
    anna_headers, dora_headers = _cookie("anna"), _cookie("dora")

    async def run() -> None:
        anna = WebsocketCommunicator(application, "/ws/desk/", headers=anna_headers)
        dora = WebsocketCommunicator(application, "/ws/desk/", headers=dora_headers)
        assert (await anna.connect())[0] and (await dora.connect())[0]
        await _watch(anna, case.pk)
        assert await _watch(dora, case.pk) == {"type": "case.watch_refused", "case": case.pk}
        assert await _watch(dora, 987654) == {"type": "case.watch_refused", "case": 987654}
        assert await anna.receive_nothing(timeout=0.3)  # Anna is not told of Dora either
        await anna.send_json_to({"type": "watch", "case": case.pk, "state": "typing"})
        assert await dora.receive_nothing(timeout=0.3)
        await anna.disconnect()
        await dora.disconnect()

    async_to_sync(run)()


def test_membership_is_read_at_each_join(agents, brand, two_cases):
    """A socket opened while the agent belonged to the brand cannot join once the membership is gone."""
    case = two_cases[0]
    headers = _cookie("ben")

    async def run() -> None:
        from asgiref.sync import sync_to_async

        ben = WebsocketCommunicator(application, "/ws/desk/", headers=headers)
        assert (await ben.connect())[0]
        await sync_to_async(Membership.objects.filter(agent=agents["ben"], brand=brand).delete)()
        assert (await _watch(ben, case.pk))["type"] == "case.watch_refused"
        await ben.disconnect()

    async_to_sync(run)()


def test_bad_frames_are_ignored(agents, two_cases):
    headers = _cookie("anna")

    async def run() -> None:
        anna = WebsocketCommunicator(application, "/ws/desk/", headers=headers)
        assert (await anna.connect())[0]
        for frame in ({"type": "watch", "case": "x"}, {"type": "watch"}, ["watch"], {"type": "other"}):
            await anna.send_json_to(frame)
        assert await anna.receive_nothing(timeout=0.3)
        joined = await _watch(anna, two_cases[0].pk, state="<b>")  # an unknown state counts as viewing
        assert joined["type"] == "case.watching"
        await anna.disconnect()

    async_to_sync(run)()


@pytest.mark.nodb
def test_quiet_tabs_expire_before_two_beats_are_missed():
    assert collision.HEARTBEAT * 2 < collision.TTL < collision.HEARTBEAT * 3
