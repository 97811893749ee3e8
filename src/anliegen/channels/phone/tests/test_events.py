"""Each recorded PBX payload reads into exactly this CallEvent; bad ones name the field."""

from __future__ import annotations

import pytest

from anliegen.channels.phone import events
from anliegen.channels.phone.numbers import e164

from .conftest import fixture

pytestmark = pytest.mark.nodb


def test_zammad_new_call_form():
    event = events.read("zammad", fixture("zammad__newcall_in.form"))
    assert (event.kind, event.call_id, event.direction) == ("ring", "7b1c9e0a4f2d4e55", "in")
    assert (event.from_number, event.to_number, event.users) == ("493055571600", "4940123456", ["Anna Schmidt"])
    assert event.customer_number == "493055571600"
    assert event.key == "7b1c9e0a4f2d4e55:ring"


def test_zammad_answer_and_hangup_forms():
    answer = events.read("zammad", fixture("zammad__answer_in.form"))
    assert (answer.kind, answer.extension, answer.key) == ("answer", "201", "7b1c9e0a4f2d4e55:answer:201")
    hangup = events.read("zammad", fixture("zammad__hangup_in.form"))
    assert (hangup.kind, hangup.cause, hangup.result) == ("hangup", "normalClearing", "answered")
    cancel = events.read("zammad", fixture("zammad__hangup_cancel.form"))
    assert (cancel.cause, cancel.result) == ("cancel", "missed")


def test_zammad_json_outbound():
    event = events.read("zammad", fixture("zammad__hangup_out.json"), "application/json")
    assert (event.direction, event.customer_number, event.extension, event.users) == (
        "out",
        "493023125741",
        "202",
        ["Ben Wagner"],
    )


def test_twilio_status_callbacks():
    ring = events.read("twilio", fixture("twilio__ringing.form"))
    assert (ring.kind, ring.call_id, ring.direction, ring.customer_number) == (
        "ring",
        "CA11111111111111111111111111111111",
        "in",
        "+4917612345678",
    )
    assert ring.at == "2026-12-02T13:40:32+00:00"
    leg = events.read("twilio", fixture("twilio__completed_leg.form"))
    # The agent's leg belongs to the caller's call (ParentCallSid); its sip: address is the extension.
    assert (leg.kind, leg.call_id, leg.extension, leg.result, leg.duration) == (
        "hangup",
        "CA11111111111111111111111111111111",
        "201",
        "answered",
        95,
    )


def test_anliegen_json():
    event = events.read("json", fixture("json__hangup_missed.json"))
    assert (event.kind, event.result, event.at, event.cause) == (
        "hangup",
        "missed",
        "2026-12-02T13:41:00+00:00",
        "NOANSWER",
    )


@pytest.mark.parametrize(
    ("fmt", "body", "field"),
    [
        ("zammad", b"event=newCall&from=1&to=2&direction=in", "callId"),
        ("zammad", b"event=ring&from=1&to=2&direction=in&callId=x", "event"),
        ("zammad", b"event=hangup&from=1&to=2&direction=in&callId=x&cause=explosion", "cause"),
        ("zammad", b"event=newCall&from=1&to=2&direction=sideways&callId=x", "direction"),
        (
            "twilio",
            b"CallSid=CA1&CallStatus=ringing&From=%2B49&To=%2B49&Direction=inbound&CallDuration=ten",
            "CallDuration",
        ),
        ("twilio", b"CallSid=CA1&CallStatus=exploded&From=1&To=2&Direction=inbound", "CallStatus"),
        ("json", b"[1, 2]", "body"),
        ("json", b"{not json", "body"),
        (
            "json",
            b'{"event": "ring", "call_id": "1", "direction": "in", "from": "1", "to": "2", "at": "yesterday"}',
            "at",
        ),
        (
            "json",
            b'{"event": "ring", "call_id": "1", "direction": "in", "from": "1", "to": "2", "duration": -3}',
            "duration",
        ),
        ("json", b'{"event": "ring", "call_id": "1", "direction": "in", "to": "2"}', "from"),
    ],
)
def test_bad_events_name_the_field(fmt, body, field):
    with pytest.raises(events.EventError) as caught:
        events.read(fmt, body)
    assert caught.value.field == field


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        ("493055571600", "+493055571600"),
        ("030 55571600", "+493055571600"),
        ("+49 (40) 555-6677", "+49405556677"),
        ("0049 40 5556677", "+49405556677"),
        ("01761234567", "+491761234567"),
    ],
)
def test_numbers_to_e164(raw, number):
    assert e164(raw, "DE") == (number, "")


@pytest.mark.parametrize("raw", ["anonymous", "", "abc", "12"])
def test_unusable_numbers_say_why(raw):
    number, problem = e164(raw, "DE")
    assert number == "" and problem
