"""A callback booked on the call: offered in each answer format when nobody is free, booked once per call."""

from __future__ import annotations

import logging
from urllib.parse import unquote, urlparse
from xml.etree import ElementTree

import pytest
from django.core import mail

from anliegen.channels.phone.models import AgentPhone, CallbackBooking, PhoneState
from anliegen.core.models import Case
from anliegen.promises.models import Promise

from .conftest import NUMBER


@pytest.fixture
def all_busy(agents):
    for agent in agents.values():
        AgentPhone.objects.update_or_create(agent=agent, defaults={"state": PhoneState.ON_CALL, "call_id": "x"})


def ask(client, line, fmt="json", caller=NUMBER, **extra):
    return client.get(
        f"/channels/phone/route/{line.brand.slug}.{line.token}/", {"from": caller, "format": fmt, **extra}
    )


def path_of(url: str) -> str:
    return urlparse(url).path


def test_json_offer_books_one_promise_of_the_owner_and_tells_the_customer(client, line, caller_case, all_busy, tasks):
    answer = ask(client, line, call_id="call-17").json()
    assert answer["action"] == "queue" and answer["callback"]["url"].startswith("http://testserver/channels/phone/")
    url = path_of(answer["callback"]["url"])
    first = client.post(url).json()
    assert first["booked"] and not first["duplicate"] and first["owner"] == "Ben Wagner"
    promise = Promise.objects.get(pk=first["promise"])
    assert (promise.kind, promise.owner, promise.case) == (Promise.Kind.CALLBACK, caller_case.owner, caller_case)
    assert promise.due_at.isoformat() == answer["callback"]["window_start"]
    assert promise.window_end.isoformat() == answer["callback"]["window_end"]
    tasks()
    [notice] = [m for m in mail.outbox if "jana@example.org" in m.to]
    assert "Rückruf" in notice.body and NUMBER in notice.body
    replay = client.post(url).json()  # the PBX retried: nothing new
    tasks()
    assert replay["duplicate"] and replay["promise"] == promise.pk
    assert Promise.objects.filter(kind=Promise.Kind.CALLBACK).count() == 1 and len(mail.outbox) == 1


def test_lines_offer_and_booking(client, line, caller_case, all_busy):
    text = ask(client, line, fmt="lines", call_id="ast-1").content.decode()
    lines = dict(row.split("=", 1) for row in text.splitlines())
    assert lines["action"] == "queue" and lines["callback_url"]
    amp = ask(client, line, fmt="lines", sep="amp", call_id="ast-1").content.decode()
    url = unquote(dict(p.split("=", 1) for p in amp.split("&"))["callback_url"])
    booked = client.post(path_of(url) + "?format=lines").content.decode()
    facts = dict(row.split("=", 1) for row in booked.splitlines())
    assert facts["booked"] == "1" and facts["duplicate"] == "0"
    again = dict(
        r.split("=", 1)
        for r in client.post(path_of(lines["callback_url"]) + "?format=lines").content.decode().splitlines()
    )
    assert again["duplicate"] == "1" and again["promise"] == facts["promise"]  # same call id: one booking


def test_twiml_gather_books_on_1_only(client, line, caller_case, all_busy):
    line.twilio_auth_token = ""
    line.save()
    root = ElementTree.fromstring(ask(client, line, fmt="twiml", CallSid="CA123").content)  # noqa: S314
    gather = root.find("Gather")
    assert gather is not None and gather.attrib["numDigits"] == "1"
    assert "Drücken Sie die 1" in gather.find("Say").text
    assert root.find("Enqueue") is not None  # no key pressed: the caller waits
    action = gather.attrib["action"]
    refused = ElementTree.fromstring(client.post(action, {"Digits": "2"}).content)  # noqa: S314
    assert refused.find("Enqueue") is not None and not Promise.objects.exists()
    said = ElementTree.fromstring(client.post(action, {"Digits": "1"}).content)  # noqa: S314
    assert "Ben Wagner" in said.find("Say").text and said.find("Hangup") is not None
    assert CallbackBooking.objects.get(call_id="CA123").promise.owner == caller_case.owner


def test_a_bad_signature_is_403_and_logged(client, line, caller_case, all_busy, caplog):
    url = path_of(ask(client, line, call_id="c9").json()["callback"]["url"])
    forged = url.rstrip("/")[:-3] + "xyz/"
    with caplog.at_level(logging.WARNING):
        assert client.post(forged).status_code == 403
    assert "bad signature on a callback booking" in caplog.text and not Promise.objects.exists()
    assert client.get(url).status_code == 405


def test_a_new_caller_gets_a_case_of_the_least_loaded_agent(client, line, agents, all_busy, brand):
    answer = ask(client, line, caller="+4930555000", call_id="n1").json()
    booked = client.post(path_of(answer["callback"]["url"])).json()
    case = Case.objects.get(pk=booked["case"])
    assert case.contact.identities.filter(kind="phone", value="+4930555000").exists()
    assert case.owner.name == booked["owner"] and case.is_open


def test_the_missed_hangup_of_a_booked_call_makes_no_second_promise(client, line, caller_case, all_busy, post):
    url = path_of(ask(client, line, call_id="zc-1").json()["callback"]["url"])
    client.post(url)
    base = "from=4917612345678&to=4940123456&direction=in&callId=zc-1"
    assert post("zammad", f"event=newCall&{base}".encode()).status_code == 200
    assert post("zammad", f"event=hangup&{base}&cause=cancel".encode()).status_code == 200
    assert Promise.objects.filter(kind=Promise.Kind.CALLBACK).count() == 1


def test_no_offer_when_someone_is_free_or_the_number_is_withheld(client, line, caller_case, agents):
    assert ask(client, line).json()["callback"] is None
    for agent in agents.values():
        AgentPhone.objects.update_or_create(agent=agent, defaults={"state": PhoneState.ON_CALL, "call_id": "x"})
    assert ask(client, line, caller="anonymous").json()["callback"] is None
