"""The phone in the desk: the board (due callbacks with tel: links, presence), the toggle, the pop's brand scope."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from anliegen.channels.phone.models import AgentPhone, Call, PhoneState
from anliegen.core.models import Agent
from anliegen.core.setup import create_agent, create_brand

from .conftest import PASSWORD


@pytest.fixture
def anna(client, agents):
    client.force_login(Agent.objects.get(mailbox="anna").user)
    return agents["anna"]


def missed(post, call_id="m1", number="493055571600"):
    body = {
        "event": "hangup",
        "from": number,
        "to": "4940123456",
        "direction": "in",
        "callId": call_id,
        "cause": "cancel",
    }
    assert post("zammad", urlencode(body).encode()).status_code == 200


def test_board_lists_due_callbacks_with_a_tel_link(client, post, anna):
    missed(post)
    page = client.get("/desk/phone/").content.decode()
    assert 'href="tel:+493055571600"' in page
    assert "Fällige Rückrufe" in page or "Callbacks due" in page


def test_toggle_away_takes_the_agent_out_of_routing(client, anna, line):
    assert client.post("/desk/phone/state/", {"state": "away"}).status_code == 302
    assert AgentPhone.objects.get(agent=anna).state == PhoneState.AWAY
    answer = client.get(f"/channels/phone/route/{line.brand.slug}.{line.token}/", {"from": "+4930555000"}).json()
    assert answer["extension"] != "201"
    assert client.post("/desk/phone/state/", {"state": "on_call"}).status_code == 400  # the PBX's to tell
    client.post("/desk/phone/state/", {"state": "available"})
    assert AgentPhone.objects.get(agent=anna).state == PhoneState.AVAILABLE


def test_pop_is_brand_scoped(client, post, anna):
    missed(post)
    call = Call.objects.get()
    assert client.get(f"/desk/phone/calls/{call.pk}/pop/").status_code == 200
    other = create_brand("kabelnet", "KabelNet", "kabelnet.example")
    create_agent(other, "dora", "Dora Yilmaz", PASSWORD, extension="301")
    client.logout()
    client.force_login(Agent.objects.get(mailbox="dora").user)
    assert client.get(f"/desk/phone/calls/{call.pk}/pop/").status_code == 404
    assert "+493055571600" not in client.get("/desk/phone/").content.decode()
