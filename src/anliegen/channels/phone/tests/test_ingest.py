"""Recorded call sequences through the HTTP door and the intake pipeline: one call, one message, right facts."""

from __future__ import annotations

import json
from urllib.parse import parse_qsl, urlencode

import pytest

from anliegen.channels.phone.models import AgentPhone, Call, PhoneState
from anliegen.channels.webhooks import twilio_signature
from anliegen.core.models import Case, Contact, Identity, Message, MessageKind
from anliegen.intake.models import Inbound, InboundState
from anliegen.promises.models import Promise

from .conftest import fixture

CALL = "7b1c9e0a4f2d4e55"


def zammad(post, **fields):
    return post("zammad", urlencode(fields, doseq=True).encode())


def ev(event, call=CALL, frm="493055571600", direction="in", **more):
    return {"event": event, "from": frm, "to": "4940123456", "direction": direction, "callId": call, **more}


def test_ring_answer_hangup_is_one_call_message_on_a_new_case(post, agents):
    assert post("zammad", fixture("zammad__newcall_in.form")).status_code == 200
    call = Call.objects.get(call_id=CALL)
    assert call.result == "ringing" and call.number == "+493055571600"
    assert post("zammad", fixture("zammad__answer_in.form")).status_code == 200
    assert AgentPhone.objects.get(agent=agents["anna"]).state == PhoneState.ON_CALL
    assert post("zammad", fixture("zammad__hangup_in.form")).status_code == 200
    call.refresh_from_db()
    assert (call.result, call.agent, call.extension, call.cause) == (
        "answered",
        agents["anna"],
        "201",
        "normalClearing",
    )
    assert call.duration_seconds is not None and call.ended_at >= call.answered_at >= call.started_at
    messages = Message.objects.filter(kind=MessageKind.CALL)
    assert messages.count() == 1
    message = messages.get()
    assert message == call.message and message.channel == "phone" and message.direction == "in"
    assert message.body_text.startswith("Angenommen von Anna Schmidt") or "Anna Schmidt" in message.body_text
    case = message.case
    assert Identity.objects.get(contact=case.contact).value == "+493055571600"
    assert Inbound.objects.filter(channel="phone", state=InboundState.DONE).count() == 3
    # No text goes to a phone number on its own: the agent's written summary follows the call.
    assert not Message.objects.filter(kind=MessageKind.CONFIRMATION).exists()
    assert AgentPhone.objects.get(agent=agents["anna"]).state == PhoneState.WRAP_UP


def test_call_joins_the_callers_open_case_and_keeps_its_owner(post, agents, brand):
    contact = Contact.objects.create(brand=brand, name="Jana Krüger")
    Identity.objects.create(contact=contact, brand=brand, kind="phone", value="+493055571600")
    case = Case.objects.create(
        brand=brand, contact=contact, owner=agents["ben"], subject="Zählerstand", preferred_channel="email"
    )
    zammad(post, **ev("newCall", **{"user[]": ["Ben Wagner"]}))
    zammad(post, **ev("answer", answeringNumber="202"))
    zammad(post, **ev("hangup", answeringNumber="202", cause="normalClearing"))
    call = Call.objects.get(call_id=CALL)
    assert call.message.case == case and call.agent == agents["ben"]
    case.refresh_from_db()
    assert case.owner == agents["ben"] and Case.objects.count() == 1


def test_unanswered_call_is_missed_and_a_callback_promise_of_the_owner(post, agents):
    post("zammad", fixture("zammad__newcall_in.form"))
    assert AgentPhone.objects.get(agent=agents["anna"]).state == PhoneState.RINGING
    post("zammad", fixture("zammad__hangup_cancel.form"))
    call = Call.objects.get(call_id=CALL)
    assert (call.result, call.duration_seconds) == ("missed", 0)
    promise = Promise.objects.get(kind=Promise.Kind.CALLBACK)
    case = call.message.case
    assert promise.case == case and promise.owner == case.owner and promise.state == Promise.State.OPEN
    assert promise.window_end > promise.due_at and "+493055571600" in promise.text
    assert call.callback == promise
    assert case.is_open
    assert AgentPhone.objects.get(agent=agents["anna"]).state == PhoneState.AVAILABLE


def test_missed_call_outside_service_hours_promises_nothing(post, agents, brand):
    brand.service_hours = {"days": [], "start": "08:00", "end": "08:01"}  # never... treated as around the clock
    brand.service_hours = {"days": [7], "start": "08:00", "end": "18:00"}  # a day that never comes
    brand.save()
    post("zammad", fixture("zammad__newcall_in.form"))
    post("zammad", fixture("zammad__hangup_cancel.form"))
    assert Call.objects.get(call_id=CALL).result == "missed"
    assert not Promise.objects.exists()


def test_transfer_to_another_extension(post, agents):
    zammad(post, **ev("newCall", **{"user[]": ["Anna Schmidt"]}))
    zammad(post, **ev("answer", answeringNumber="201"))
    zammad(post, **ev("answer", answeringNumber="202"))  # Anna hands the caller to Ben
    assert AgentPhone.objects.get(agent=agents["anna"]).state == PhoneState.WRAP_UP
    assert AgentPhone.objects.get(agent=agents["ben"]).state == PhoneState.ON_CALL
    zammad(post, **ev("hangup", answeringNumber="202", cause="normalClearing"))
    call = Call.objects.get(call_id=CALL)
    assert (call.agent, call.extension, call.result) == (agents["ben"], "202", "answered")
    assert "201" in call.message.body_text  # "transferred from 201"
    assert Message.objects.filter(kind=MessageKind.CALL).count() == 1


def test_repeated_and_reordered_events(post, agents):
    # The hangup overtakes the answer, the answer comes twice, the ring comes last.
    first = zammad(post, **ev("hangup", answeringNumber="201", cause="normalClearing", at="2026-12-02T10:05:00Z"))
    assert first.status_code == 200
    body = urlencode(ev("answer", answeringNumber="201")).encode()
    assert json.loads(post("zammad", body).content)["duplicate"] is False
    assert json.loads(post("zammad", body).content)["duplicate"] is True
    zammad(post, **ev("newCall", **{"user[]": ["Anna Schmidt"]}))
    call = Call.objects.get(call_id=CALL)
    assert call.result == "answered" and call.agent == agents["anna"]
    assert Message.objects.filter(kind=MessageKind.CALL).count() == 1
    assert Inbound.objects.filter(channel="phone").count() == 3
    assert not Promise.objects.exists()
    # Nobody is left "on a call" by an answer that came after its hangup.
    assert AgentPhone.objects.filter(state=PhoneState.ON_CALL).count() == 0


def test_a_late_answer_cancels_the_callback_a_missed_call_made(post, agents):
    zammad(post, **ev("hangup", cause="cancel"))
    promise = Promise.objects.get()
    zammad(post, **ev("answer", answeringNumber="201"))
    promise.refresh_from_db()
    assert promise.state == Promise.State.CANCELLED


def test_anonymous_caller_is_kept_raw_with_a_reason(post, agents):
    response = post("zammad", fixture("zammad__newcall_anonymous.form"))
    assert response.status_code == 200
    inbound = Inbound.objects.get(channel="phone")
    assert inbound.state == InboundState.QUARANTINED
    assert "withheld" in inbound.reason and bytes(inbound.raw) == fixture("zammad__newcall_anonymous.form")


def test_unknown_token_is_401_and_unknown_brand_too(post, client, line):
    assert post("zammad", fixture("zammad__newcall_in.form"), token="wrong").status_code == 401
    assert client.post("/hooks/phone/nobody.x/?format=zammad", data=b"", content_type="text/plain").status_code == 401
    assert client.post("/hooks/phone/nodot/?format=zammad", data=b"", content_type="text/plain").status_code == 401
    assert not Inbound.objects.exists()


def test_malformed_event_is_400_naming_the_field(post, agents):
    response = post("zammad", b"event=newCall&from=1&to=2&direction=in")
    assert (response.status_code, response.content) == (400, b"malformed: callId: missing")
    response = post("json", b'{"event": "ring"}', "application/json")
    assert response.status_code == 400 and response.content.startswith(b"malformed: direction:")
    assert post("yaml", b"event=newCall").status_code == 400
    assert not Inbound.objects.exists()


def twilio_post(client, line, body: bytes, signature: str | None = None):
    url = f"/hooks/phone/{line.brand.slug}.{line.token}/?format=twilio"
    params: dict[str, list[str]] = {}
    for k, v in parse_qsl(body.decode(), keep_blank_values=True):
        params.setdefault(k, []).append(v)
    if signature is None:
        signature = twilio_signature(line.twilio_auth_token, f"http://testserver{url}", params)
    return client.post(
        url, data=body, content_type="application/x-www-form-urlencoded", HTTP_X_TWILIO_SIGNATURE=signature
    )


def test_twilio_status_callbacks_with_signature(client, line, agents, caplog):
    assert twilio_post(client, line, fixture("twilio__ringing.form")).status_code == 200
    assert twilio_post(client, line, fixture("twilio__completed_leg.form")).status_code == 200
    call = Call.objects.get(call_id="CA11111111111111111111111111111111")
    assert (call.result, call.duration_seconds, call.agent, call.number) == (
        "answered",
        95,
        agents["anna"],
        "+4917612345678",
    )
    bad = twilio_post(client, line, fixture("twilio__ringing.form"), signature="AAAA")
    assert bad.status_code == 403
    assert "bad signature" in caplog.text


@pytest.mark.parametrize("body", [b"\xff\xfe", b"event=answer&" * 3, b""])
def test_garbage_is_never_a_500(post, agents, body):
    assert post("zammad", body).status_code == 400
    assert post("json", body, "application/json").status_code == 400
