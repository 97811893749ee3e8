"""What the audit log also records: views of a contact's data on the case page, the system's own state changes,
a bulk solve after an incident, report exports, and what an integration's token changes (the token named)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from anliegen.audit import services as audit
from anliegen.audit.models import Action, AuditEntry
from anliegen.core.models import Case, CaseState, Incident, Membership
from anliegen.core.setup import create_agent
from anliegen.integrations import tokens
from anliegen.selfservice.services import incidents
from tests.conftest import PASSWORD
from tests.desk.conftest import client_for, customer_mail

from .test_audit import case  # noqa: F401 - the fixture


def _rows(action: str = "") -> list[tuple]:
    found = AuditEntry.objects.order_by("id")
    if action:
        found = found.filter(action=action)
    return list(found.values_list("action", "object_type", "object_id", "actor_id", "via", "detail"))


def test_the_case_page_records_one_view_of_its_contact_per_window(case, agents, anna_client, monkeypatch):  # noqa: F811
    page = reverse("desk:case", args=[case.pk])
    anna = agents["anna"].pk
    contact = str(case.contact_id)
    assert anna_client.get(page).status_code == 200
    assert anna_client.get(page).status_code == 200  # a reload: the same view
    anna_client.get(page, {"part": "timeline"}, headers={"HX-Request": "true"})  # a live refresh shows no more
    anna_client.get(reverse("desk:case_panels", args=[case.pk]))
    assert _rows() == [(Action.CONTACT_VIEW, "contact", contact, anna, "desk", {"case": case.pk})]
    anna_client.get(reverse("desk:contact", args=[case.contact_id]))  # the contact's own page: another view
    client_for("ben").get(page)  # someone else: another view
    assert [(r[3], r[5]) for r in _rows()] == [
        (anna, {"case": case.pk}),
        (anna, {}),
        (agents["ben"].pk, {"case": case.pk}),
    ]
    monkeypatch.setattr(audit, "VIEW_WINDOW", timedelta(0))
    anna_client.get(page)  # after the window: recorded again
    assert len(_rows(Action.CONTACT_VIEW)) == 4


def test_a_customer_mail_reopening_a_solved_case_is_the_systems_change(case, agents, brand):  # noqa: F811
    from anliegen.intake.accept import accept

    Case.objects.filter(pk=case.pk).update(state=CaseState.SOLVED)
    first = case.messages.order_by("id").first()
    mail = customer_mail(brand.support_address, f"Re: {case.subject}", "Es geht immer noch nicht.")
    mail["In-Reply-To"] = first.external_id
    accept("email", mail["Message-ID"], mail.as_bytes(), {"rcpt": [brand.support_address]})
    case.refresh_from_db()
    assert case.state == CaseState.OPEN
    assert _rows(Action.CASE_STATE) == [
        (
            Action.CASE_STATE,
            "case",
            str(case.pk),
            None,
            "system",
            {"from": "solved", "to": "open", "why": "customer message"},
        )
    ]


def test_a_reply_that_changes_the_state_is_recorded(case, agents, anna_client):  # noqa: F811
    anna_client.post(
        reverse("desk:reply", args=[case.pk]), {"text": "Erledigt.", "channel": "email", "next_state": "waiting"}
    )
    case.refresh_from_db()
    assert case.state == CaseState.WAITING
    assert _rows(Action.CASE_STATE) == [
        (
            Action.CASE_STATE,
            "case",
            str(case.pk),
            agents["anna"].pk,
            "desk",
            {"from": "open", "to": "waiting", "why": "reply"},
        )
    ]


def test_solving_the_cases_of_a_closed_incident_records_each(case, agents, brand, mail_case):  # noqa: F811
    incident = Incident.objects.create(brand=brand, title="Ausfall", starts_at=timezone.now())
    other = mail_case(brand, "Auch kaputt", owner=agents["anna"])
    Case.objects.filter(pk__in=[case.pk, other.pk]).update(incident=incident)
    Case.objects.filter(pk=other.pk).update(state=CaseState.WAITING)
    incident.state = Incident.State.RESOLVED
    incident.save()
    assert incidents.do_solve_linked(incident, agents["anna"]) == 2
    entries = {(r[2], r[5]["from"], r[5]["incident"]) for r in _rows(Action.CASE_STATE)}
    assert entries == {(str(case.pk), "open", incident.pk), (str(other.pk), "waiting", incident.pk)}


def test_linking_one_case_by_hand_is_recorded_and_intakes_link_is_not(case, agents, brand, mail_case):  # noqa: F811
    incident = incidents.do_open(
        brand, agents["claire"], title="Kein Signal", description="x", areas=["225"], keywords=["kein signal"]
    )
    matched = mail_case(brand, "Fernseher schwarz", text="Kein Signal, ich wohne in 22529 Hamburg.")
    assert matched.incident_id == incident.pk and _rows(Action.CASE_INCIDENT) == []  # intake linked it, nobody
    anna, anna_client, ben = agents["anna"].pk, client_for("anna"), client_for("ben")
    assert anna_client.post(f"/desk/cases/{case.pk}/incident/", {"incident": incident.pk}).status_code == 302
    anna_client.post(f"/desk/cases/{case.pk}/incident/", {"incident": incident.pk})  # again: nothing changes
    anna_client.post(f"/desk/cases/{case.pk}/incident/", {"unlink": "1"})
    assert ben.post(f"/desk/cases/{case.pk}/incident/", {"unlink": "1"}).status_code == 302  # not linked any more
    assert _rows(Action.CASE_INCIDENT) + _rows(Action.CASE_INCIDENT_OFF) == [
        (Action.CASE_INCIDENT, "case", str(case.pk), anna, "desk", {"incident": incident.pk}),
        (Action.CASE_INCIDENT_OFF, "case", str(case.pk), anna, "desk", {"incident": incident.pk}),
    ]


def test_a_report_export_is_recorded_per_brand_with_its_filter(case, agents, brand):  # noqa: F811
    response = client_for("claire").get(reverse("desk:reports_csv"), {"by": "channel", "channel": "email"})
    assert response.status_code == 200
    client_for("claire").get(reverse("desk:reports"))  # looking at the page is no export
    rows = _rows(Action.REPORT_EXPORT)
    assert len(rows) == 1
    action, object_type, object_id, actor, via, detail = rows[0]
    assert (object_type, object_id, actor, via) == ("brand", str(brand.pk), agents["claire"].pk, "desk")
    assert detail["by"] == "channel" and detail["channel"] == "email"
    assert detail["until"] == timezone.localdate().isoformat()


def test_an_integration_token_is_the_actor_of_its_changes(case, agents, brand, anna_client):  # noqa: F811
    integration, token = tokens.issue("KabelCRM", [brand], ["read", "write"])
    crm = Client(headers={"Authorization": f"Bearer {token}"})
    patched = crm.patch(f"/api/cases/{case.pk}", data={"state": "solved"}, content_type="application/json")
    assert patched.status_code == 200
    crm.get(f"/api/contacts/{case.contact_id}")
    anna_client.post(reverse("desk:state", args=[case.pk]), {"state": "open"})  # the next request is anna's own
    entries = list(AuditEntry.objects.order_by("id").values_list("action", "actor_id", "actor_name", "via"))
    named = f"KabelCRM ({integration.prefix}…)"
    assert entries == [
        (Action.CASE_STATE, None, named, "api:KabelCRM"),
        (Action.CONTACT_VIEW, None, named, "api:KabelCRM"),
        (Action.CASE_STATE, agents["anna"].pk, "Anna Schmidt", "desk"),
    ]


@pytest.fixture
def admin_client(brand) -> Client:
    create_agent(brand, "sarah", "Sarah Admin", PASSWORD, role=Membership.Role.ADMIN)
    return client_for("sarah")


def test_the_new_kinds_are_filterable_and_named_in_german(case, agents, brand, admin_client):  # noqa: F811
    client_for("claire").get(reverse("desk:reports_csv"))
    Case.objects.filter(pk=case.pk).update(state=CaseState.WAITING)
    from anliegen.core.services.messages import record_reopened

    record_reopened(case, CaseState.WAITING, "incoming call")
    url = reverse("desk:audit_log")
    page = admin_client.get(url, {"action": Action.REPORT_EXPORT}).content.decode()
    assert "<td>report exported (CSV)</td>" in page and "case state changed" not in page.split("<tbody>")[1]
    system = admin_client.get(url, {"via": "system"}).content.decode().split("<tbody>")[1]
    assert "<td>case state changed</td>" in system and "report exported" not in system
    with translation.override("de"):
        german = admin_client.get(url, headers={"Accept-Language": "de"}).content.decode()
    assert "Bericht exportiert (CSV)" in german and "System" in german


def test_the_token_is_named_through_the_async_handler_too(case, agents, brand):  # noqa: F811
    """Under ASGI (uvicorn) the request passes the middleware's async path: the token is still the actor."""
    from asgiref.sync import async_to_sync
    from django.test import AsyncClient

    integration, token = tokens.issue("KabelCRM", [brand], ["read", "write"])
    patched = async_to_sync(AsyncClient().patch)(
        f"/api/cases/{case.pk}",
        data={"state": "solved"},
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert patched.status_code == 200, patched.content
    assert list(AuditEntry.objects.values_list("actor_name", "via")) == [
        (f"KabelCRM ({integration.prefix}…)", "api:KabelCRM")
    ]
