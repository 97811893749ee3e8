"""After the call: the note on the case, the one-click written summary with promises and direct lines."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from django.core import mail

from anliegen.channels.phone.models import AgentPhone, Call, PhoneState
from anliegen.core.models import Agent, Identity, MessageKind

from .conftest import PASSWORD

NUMBER = "493055571600"


@pytest.fixture
def answered_call(post, agents) -> Call:
    base = {"from": NUMBER, "to": "4940123456", "direction": "in", "callId": "sum-1"}
    for event in (
        {"event": "newCall", "user[]": "Anna Schmidt"},
        {"event": "answer", "answeringNumber": "201"},
        {"event": "hangup", "answeringNumber": "201", "cause": "normalClearing"},
    ):
        assert post("zammad", urlencode({**base, **event}).encode()).status_code == 200
    call = Call.objects.select_related("message__case").get()
    Identity.objects.create(contact=call.message.case.contact, brand=call.brand, kind="email", value="jana@example.org")
    return call


def test_note_shows_under_the_call_and_ends_wrap_up(client, answered_call, agents):
    assert AgentPhone.objects.get(agent=agents["anna"]).state == PhoneState.WRAP_UP
    client.force_login(Agent.objects.get(mailbox="anna").user)
    response = client.post(f"/desk/phone/calls/{answered_call.pk}/note/", {"note": "Zählerstand 12345 korrigiert."})
    assert response.status_code == 302
    answered_call.refresh_from_db()
    assert answered_call.note == "Zählerstand 12345 korrigiert."
    assert "Zählerstand 12345 korrigiert." in answered_call.message.body_text
    assert answered_call.message.body_text.startswith("Angenommen von Anna Schmidt")
    assert AgentPhone.objects.get(agent=agents["anna"]).state == PhoneState.AVAILABLE


def test_one_click_summary_in_writing(client, answered_call, agents, tasks):
    client.force_login(Agent.objects.get(mailbox="anna").user)
    # Without a note there is nothing to confirm: refused, nothing sent.
    client.post(f"/desk/phone/calls/{answered_call.pk}/summary/")
    assert not answered_call.message.case.messages.filter(kind=MessageKind.CONFIRMATION).exists()
    client.post(
        f"/desk/phone/calls/{answered_call.pk}/note/", {"note": "Wir buchen die Gutschrift bis Freitag.", "send": "1"}
    )
    tasks()
    [summary] = [m for m in mail.outbox if "jana@example.org" in m.to]
    assert "Wir buchen die Gutschrift bis Freitag." in summary.body
    case = answered_call.message.case
    assert case.owner.reply_address(case.brand, case.reply_token) in summary.body
    assert "201" in summary.body  # the owner's extension
    # The missed-call promise of another call would be listed too; here there is none, so no promise section.
    assert "zugesagt" not in summary.body.lower() or "Rückruf" in summary.body


def test_another_brand_cannot_touch_the_call(client, answered_call):
    from anliegen.core.setup import create_agent, create_brand

    other = create_brand("kabelnet", "KabelNet", "kabelnet.example")
    create_agent(other, "dora", "Dora Yilmaz", PASSWORD, extension="301")
    client.force_login(Agent.objects.get(mailbox="dora").user)
    assert client.post(f"/desk/phone/calls/{answered_call.pk}/note/", {"note": "x"}).status_code == 404
    answered_call.refresh_from_db()
    assert answered_call.note == ""
