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


@pytest.fixture
def caller_only(post, agents) -> Call:
    """A call from a number nobody knew: the contact has a phone identity and nothing else."""
    base = {"from": "491701234567", "to": "4940123456", "direction": "in", "callId": "sum-sms"}
    for event in (
        {"event": "newCall", "user[]": "Anna Schmidt"},
        {"event": "answer", "answeringNumber": "201"},
        {"event": "hangup", "answeringNumber": "201", "cause": "normalClearing"},
    ):
        assert post("zammad", urlencode({**base, **event}).encode()).status_code == 200
    return Call.objects.select_related("message__case").get(call_id="sum-sms")


@pytest.fixture
def sms_number(caller_only):
    from anliegen.channels.sms.models import SmsNumber

    return SmsNumber.objects.create(brand=caller_only.brand, number="+4940555020", account_sid="AC1", auth_token="t")


def test_a_caller_known_only_by_number_gets_the_summary_by_sms(
    client, caller_only, sms_number, agents, tasks, settings
):
    from anliegen.base.sms import locmem

    settings.SMS_BACKEND = "anliegen.base.sms.locmem.LocmemBackend"
    locmem.outbox.clear()

    client.force_login(Agent.objects.get(mailbox="anna").user)
    client.post(f"/desk/phone/calls/{caller_only.pk}/note/", {"note": "Techniker kommt Dienstag.", "send": "1"})
    tasks()
    sent = caller_only.message.case.messages.get(kind=MessageKind.CONFIRMATION)
    assert sent.channel == "sms" and sent.address == "+491701234567"
    assert [m for m in locmem.outbox if "Techniker kommt Dienstag." in str(m)]


def test_without_an_sms_number_a_caller_finds_it_on_the_case_page(client, caller_only, agents):
    client.force_login(Agent.objects.get(mailbox="anna").user)
    client.post(f"/desk/phone/calls/{caller_only.pk}/note/", {"note": "Techniker kommt Dienstag.", "send": "1"})
    assert caller_only.message.case.messages.get(kind=MessageKind.CONFIRMATION).channel == "portal"


def test_the_agent_may_choose_sms_over_email(client, answered_call, agents, tasks):
    from anliegen.channels.sms.models import SmsNumber

    SmsNumber.objects.create(brand=answered_call.brand, number="+4940555020", account_sid="AC1", auth_token="t")
    Identity.objects.create(
        contact=answered_call.message.case.contact, brand=answered_call.brand, kind="phone", value="+491709999999"
    )
    client.force_login(Agent.objects.get(mailbox="anna").user)
    client.post(f"/desk/phone/calls/{answered_call.pk}/note/", {"note": "Gutschrift gebucht.", "via": "sms"})
    sent = answered_call.message.case.messages.get(kind=MessageKind.CONFIRMATION)
    assert sent.channel == "sms" and "Gutschrift gebucht." in sent.body_text
