"""Who should take this call, in each situation, and how the answer reads in each format."""

from __future__ import annotations

from datetime import timedelta
from xml.etree import ElementTree

from django.utils import timezone

from anliegen.channels.phone import waits
from anliegen.channels.phone.models import AgentPhone, Call, PhoneState
from anliegen.core.models import Case, Contact, Incident, Presence

from .conftest import NUMBER


def ask(client, line, caller=NUMBER, fmt="json", **extra):
    return client.get(
        f"/channels/phone/route/{line.brand.slug}.{line.token}/", {"from": caller, "format": fmt, **extra}
    )


def busy(agent, state=PhoneState.ON_CALL):
    AgentPhone.objects.update_or_create(agent=agent, defaults={"state": state, "call_id": "x"})


def test_known_caller_reaches_the_case_owner(client, line, caller_case, agents):
    answer = ask(client, line, "0176 12345678").json()
    assert (answer["action"], answer["reason"], answer["extension"]) == ("connect", "owner", "202")
    assert answer["case"] == caller_case.pk
    assert answer["announcement"] == "Sie werden mit Ben Wagner verbunden, zuständig für Ihr Anliegen."


def test_owner_on_a_call_goes_to_the_deputy(client, line, caller_case, agents):
    ben = agents["ben"]
    ben.deputy = agents["anna"]
    ben.save()
    busy(ben)
    answer = ask(client, line).json()
    assert (answer["reason"], answer["extension"]) == ("deputy", "201")
    assert "Ben Wagner" in answer["announcement"] and "Anna Schmidt" in answer["announcement"]


def test_owner_on_leave_or_offline_is_not_rung(client, line, caller_case, agents):
    ben = agents["ben"]
    ben.on_leave = True
    ben.save()
    assert ask(client, line).json()["reason"] == "best"
    ben.on_leave, ben.presence = False, Presence.OFFLINE
    ben.save()
    assert ask(client, line).json()["extension"] != "202"
    ben.presence = Presence.ONLINE
    ben.save()
    busy(ben, PhoneState.WRAP_UP)  # just hung up: a minute to write the note
    assert ask(client, line).json()["extension"] != "202"


def test_unknown_caller_gets_the_best_free_agent_by_authority_language_and_load(client, line, agents, brand):
    answer = ask(client, line, "+4930555000").json()
    assert answer["action"] == "connect" and answer["reason"] == "best" and answer["case"] is None
    # Anna has open cases, Ben none: the less loaded one answers a new caller.
    contact = Contact.objects.create(brand=brand)
    for _n in range(3):
        Case.objects.create(brand=brand, contact=contact, owner=agents["anna"], subject="x", preferred_channel="email")
    busy(agents["claire"])
    assert ask(client, line, "+4930555000").json()["extension"] == "202"


def test_case_needs_pick_an_agent_with_the_authority(client, line, caller_case, agents):
    caller_case.needs = {"credit_max_cents": 20000}
    caller_case.save()
    busy(agents["ben"])
    answer = ask(client, line).json()
    assert answer["extension"] == "203"  # only Claire may grant 200 euros


def test_nobody_free_offers_the_honest_wait_and_a_free_callback(client, line, agents, brand):
    for agent in agents.values():
        busy(agent)
    now = timezone.now()
    for n in range(6):  # the brand's recorded calls: 4 minutes each
        Call.objects.create(
            brand=brand,
            call_id=f"old{n}",
            direction="in",
            result="answered",
            duration_seconds=240,
            started_at=now - timedelta(minutes=50),
            ended_at=now - timedelta(minutes=45),
        )
    Call.objects.create(brand=brand, call_id="waiting", direction="in", started_at=now)
    answer = ask(client, line, "+4930555000").json()
    assert (answer["action"], answer["reason"], answer["extension"]) == ("queue", "nobody_free", "")
    wait = answer["wait"]
    assert wait["handling_seconds"] == 240 and wait["agents"] == 3 and wait["waiting"] == 1
    expected = waits.estimate(3, 7 / 3600, 240, 1).seconds
    assert wait["seconds"] == expected and expected >= 80  # one caller ahead of three busy agents
    assert f"etwa {wait['minutes']} Minuten" in answer["announcement"]
    assert "kostenlos zurück" in answer["announcement"]


def test_outside_service_hours_is_closed(client, line, agents, brand):
    brand.service_hours = {"days": [7], "start": "08:00", "end": "18:00"}
    brand.save()
    assert ask(client, line).json()["action"] == "closed"


def test_active_incident_is_announced_first(client, line, caller_case, agents, brand):
    Incident.objects.create(brand=brand, title="Störung im Netz Hamburg-Nord", starts_at=timezone.now())
    answer = ask(client, line).json()
    assert answer["incident"]["title"] == "Störung im Netz Hamburg-Nord"
    assert answer["announcement"].startswith("Bekannte Störung: Störung im Netz Hamburg-Nord.")


def test_english_caller_hears_english(client, line, caller_case, agents):
    caller_case.contact.language = "en"
    caller_case.contact.save()
    answer = ask(client, line).json()
    assert answer["announcement"] == "You are being connected to Ben Wagner, who is handling your concern."


def test_twiml_says_and_dials(client, line, caller_case, agents):
    line.sip_domain = "pbx.stadtwerk.example"
    line.twilio_auth_token = ""
    line.save()
    response = ask(client, line, fmt="twiml")
    assert response["Content-Type"].startswith("text/xml")
    root = ElementTree.fromstring(response.content)  # noqa: S314 - our own answer
    assert root.find("Say").attrib["language"] == "de-DE"
    assert "Ben Wagner" in root.find("Say").text
    assert root.find("Dial/Sip").text == "sip:202@pbx.stadtwerk.example"


def test_lines_for_asterisk(client, line, caller_case, agents):
    text = ask(client, line, fmt="lines").content.decode()
    lines = dict(row.split("=", 1) for row in text.splitlines())
    assert (lines["action"], lines["extension"], lines["case"]) == ("connect", "202", str(caller_case.pk))
    amp = ask(client, line, fmt="lines", sep="amp").content.decode()
    assert "\n" not in amp and "extension=202&" in amp and "Ben%20Wagner" in amp


def test_bad_queries(client, line, agents):
    assert client.get(f"/channels/phone/route/{line.brand.slug}.nope/", {"from": NUMBER}).status_code == 401
    assert client.get(f"/channels/phone/route/{line.brand.slug}.{line.token}/").json()["field"] == "from"
    assert ask(client, line, fmt="yaml").status_code == 400
    assert ask(client, line, caller="anonymous").json()["action"] == "connect"  # unknown caller: best agent
