"""Incidents end to end: matching on intake, the confirmation, updates told once per case, closing, bulk solve."""

from __future__ import annotations

import pytest
from django.core import mail

from anliegen.core.models import Case, CaseState, Incident, Message, MessageKind
from anliegen.selfservice.models import IncidentNotice, IncidentUpdate
from anliegen.selfservice.services import fanout, incidents
from tests.conftest import run_tasks
from tests.desk.conftest import client_for


def test_a_matching_contact_is_linked_and_its_confirmation_says_we_know(outage, mail_case, brand):
    case = mail_case(brand, "Fernseher schwarz", text="Kein Signal seit acht, ich wohne in 22529 Hamburg.")
    assert case.incident_id == outage.pk
    confirmation = Message.objects.get(case=case, kind=MessageKind.CONFIRMATION)
    assert "Kein TV-Signal in Hamburg-Nord" in confirmation.body_text
    assert "/stadtwerk/status/" in confirmation.body_text
    assert "sobald" in confirmation.body_text or "as soon as it is fixed" in confirmation.body_text


def test_a_contact_from_outside_the_area_is_not_linked(outage, mail_case, brand):
    case = mail_case(brand, "Kein Signal", text="Kein Signal auf dem Fernseher, PLZ 50667 Köln.")
    assert case.incident_id is None


def test_every_update_is_told_to_each_linked_case_exactly_once(outage, mail_case, brand, agents, settings):
    cases = [mail_case(brand, f"Kein Signal {n}", text=f"Fernseher schwarz, 2252{n}") for n in range(5)]
    assert all(c.incident_id == outage.pk for c in cases)
    settings.INCIDENT_FANOUT_CHUNK = 2
    run_tasks()
    mail.outbox = []
    update = incidents.do_update(
        outage,
        agents["claire"],
        "Der Techniker tauscht ein Bauteil, ca. 21:30 Uhr.",
        "The technician replaces a part, about 9:30 pm.",
    )
    run_tasks()
    update.refresh_from_db()
    assert update.fanout_done_at is not None
    assert IncidentNotice.objects.filter(update=update).count() == 5
    told = Message.objects.filter(case__in=cases, body_text__contains="Bauteil")
    assert told.count() == 5
    assert {m.delivery for m in told} == {Message.Delivery.SENT}
    assert len([m for m in mail.outbox if "Bauteil" in m.body]) == 5
    # A second run (a retried task, a resumed fan-out) tells nobody twice.
    IncidentUpdate.objects.filter(pk=update.pk).update(fanout_done_at=None, fanout_cursor=0)
    fanout.fan_out_chunk(update.pk, size=10)
    assert Message.objects.filter(case__in=cases, body_text__contains="Bauteil").count() == 5


def test_other_mail_queued_during_a_fan_out_goes_before_its_next_chunk(outage, mail_case, brand, agents, settings):
    from django_tasks_db.models import DBTaskResult

    for n in range(3):
        mail_case(brand, f"Kein Signal {n}", text=f"Fernseher schwarz, 2252{n}")
    run_tasks()
    DBTaskResult.objects.all().delete()
    settings.INCIDENT_FANOUT_CHUNK = 1
    update = incidents.do_update(outage, agents["claire"], "Neuer Stand.")
    first = DBTaskResult.objects.get()
    fanout.fan_out_chunk(update.pk, chain=0)  # the first chunk, as a worker would: it queues the next one
    first.delete()
    case = mail_case(brand, "Rechnung", text="Eine Frage zu meiner Rechnung.")  # its confirmation is queued now
    confirmation = Message.objects.get(case=case, kind=MessageKind.CONFIRMATION).pk
    ready = [(r.task_path.rsplit(".", 1)[-1], r.args_kwargs["args"]) for r in DBTaskResult.objects.ready()]
    chunk = next(i for i, (name, _args) in enumerate(ready) if name == "fan_out")
    ids = [args[0] if isinstance(args[0], list) else [args[0]] for _name, args in ready]  # deliver or deliver_batch
    mine = next(i for i, (name, _args) in enumerate(ready) if name.startswith("deliver") and confirmation in ids[i])
    assert mine < chunk


def test_a_stalled_fan_out_is_resumed(outage, mail_case, brand, agents):
    case = mail_case(brand, "Kein Signal", text="Fernseher schwarz, 22529")
    run_tasks()
    update = incidents.do_update(outage, agents["claire"], "Neuer Stand.")
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()  # the worker died holding the chunk task
    assert fanout.resume_stalled(stall_seconds=0) == 1
    run_tasks()
    assert IncidentNotice.objects.filter(update=update, case=case).count() == 1
    assert fanout.resume_stalled(stall_seconds=0) == 0


def test_english_cases_hear_the_english_text(outage, mail_case, brand, agents):
    case = mail_case(brand, "TV black", text="No signal on my TV since 8 pm. I live in 22455, please help me now.")
    Case.objects.filter(pk=case.pk).update(language="en")
    run_tasks()
    incidents.do_update(outage, agents["claire"], "Deutsch.", "English text.")
    run_tasks()
    told = Message.objects.get(case=case, subject__startswith="Update:")
    assert "English text." in told.body_text and "Deutsch." not in told.body_text


def test_closing_tells_everyone_and_owners_solve_in_bulk(outage, mail_case, brand, agents):
    anna, ben = agents["anna"], agents["ben"]
    mine = mail_case(brand, "Kein Signal A", owner=anna, text="Fernseher schwarz, 22529")
    other = mail_case(brand, "Kein Signal B", owner=ben, text="Fernseher schwarz, 22417")
    run_tasks()
    incidents.do_close(outage, agents["claire"], "Behoben.", "Fixed.")
    run_tasks()
    outage.refresh_from_db()
    assert outage.state == Incident.State.RESOLVED and outage.resolved_at is not None
    assert (
        Message.objects.filter(case__in=[mine, other], subject__startswith="Resolved:").count()
        + Message.objects.filter(case__in=[mine, other], subject__startswith="Behoben:").count()
        == 2
    )
    assert incidents.do_solve_linked(outage, anna) == 1
    mine.refresh_from_db(), other.refresh_from_db()
    assert mine.state == CaseState.SOLVED and other.state == CaseState.OPEN
    with pytest.raises(incidents.IncidentError):
        incidents.do_update(outage, agents["claire"], "zu spät")


def test_desk_supervisor_opens_updates_and_agents_link_by_hand(brand, agents, mail_case):
    claire, ben = client_for("claire"), client_for("ben")
    assert ben.get("/desk/incidents/new/").status_code == 403
    response = claire.post(
        "/desk/incidents/new/",
        {
            "brand": brand.pk,
            "title": "Internet langsam",
            "description": "Router rot.",
            "areas": "807, 808",
            "keywords": "kein internet",
            "product": "Internet",
        },
    )
    incident = Incident.objects.get(title="Internet langsam")
    assert response.status_code == 302 and incident.regions == ["807", "808"]
    case = mail_case(brand, "Rechnung", text="Frage zur Rechnung")
    assert case.incident_id is None
    assert ben.post(f"/desk/cases/{case.pk}/incident/", {"incident": incident.pk}).status_code == 302
    case.refresh_from_db()
    assert case.incident_id == incident.pk
    page = ben.get(f"/desk/incidents/{incident.pk}/").content.decode()
    assert "Rechnung" in page and "807" in page
    assert ben.post(f"/desk/incidents/{incident.pk}/update/", {"text": "x"}).status_code == 403
    assert not IncidentUpdate.objects.filter(incident=incident, kind="update").exists()  # agents may not
    claire.post(f"/desk/incidents/{incident.pk}/update/", {"text": "Techniker vor Ort."})
    assert IncidentUpdate.objects.filter(incident=incident, kind="update").count() == 1
    ben.post(f"/desk/cases/{case.pk}/incident/", {"unlink": "1"})
    case.refresh_from_db()
    assert case.incident_id is None


def test_another_brands_incident_is_not_found(brand, agents, other_brand):
    foreign = incidents.do_open(other_brand, None, title="Fremd", description="x")
    assert client_for("ben").get(f"/desk/incidents/{foreign.pk}/").status_code == 404
