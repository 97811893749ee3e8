"""GDPR: a contact's data exported as a ZIP and erased (desk and API), both audited; retention per brand."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anliegen.audit.models import Action, AuditEntry
from anliegen.base.parsed import ParsedAttachment
from anliegen.channels.email.models import CapturedMail
from anliegen.core.models import Attachment, Case, CaseState, Contact, Direction, Identity, Membership, Message
from anliegen.core.services.cases import do_note
from anliegen.core.services.messages import save_attachments
from anliegen.core.setup import create_agent
from anliegen.desk.models import Draft
from anliegen.intake.models import Inbound
from anliegen.integrations import tokens
from anliegen.privacy import retention
from anliegen.privacy.models import RetentionPolicy
from anliegen.search.services import search
from tests.conftest import PASSWORD
from tests.desk.conftest import client_for

SECRET = "Zauberwort Kohlrabi"


@pytest.fixture
def case(agents, brand, mail_case, tasks, settings):
    settings.EMAIL_BACKEND = "anliegen.channels.email.capture.CaptureBackend"
    case = mail_case(
        brand, f"Rechnung {SECRET}", owner=agents["anna"], sender="Jana Geheim <jana@example.org>", text=SECRET
    )
    tasks()
    message = Message.objects.get(case=case, direction=Direction.IN)
    save_attachments(message, [ParsedAttachment("rechnung.pdf", "application/pdf", b"%PDF Kohlrabi")])
    do_note(case, agents["anna"], "intern: ruft oft an")
    return case


@pytest.fixture
def sarah(brand):
    return create_agent(brand, "sarah", "Sarah Admin", PASSWORD, role=Membership.Role.ADMIN)


def _zip(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


def test_desk_export_is_a_zip_of_json_and_attachments_for_supervisors(case, agents, other_brand, anna_client):
    url = reverse("desk:contact_export", args=[case.contact_id])
    assert anna_client.post(url).status_code == 403  # an agent
    assert client_for("dora").post(url).status_code == 404  # another brand
    response = client_for("claire").post(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = _zip(response.content)
    data = json.loads(archive.read("data.json"))
    assert data["contact"]["name"] == "Jana Geheim"
    assert {"kind": "email", "value": "jana@example.org"}.items() <= data["identities"][0].items()
    (exported,) = data["cases"]
    assert exported["subject"] == case.subject
    texts = [m["text"] for m in exported["messages"]]
    assert any(SECRET in t for t in texts) and not any("intern" in t for t in texts)
    (name,) = [n for m in exported["messages"] for n in m["attachments"]]
    assert archive.read(name) == b"%PDF Kohlrabi"
    entry = AuditEntry.objects.get(action=Action.CONTACT_EXPORT)
    assert (entry.object_id, entry.actor_id, entry.detail) == (
        str(case.contact_id),
        agents["claire"].pk,
        {"cases": 1, "files": 1},
    )


def test_desk_erasure_anonymises_and_keeps_statistics(case, agents, sarah, django_capture_on_commit_callbacks):
    contact = case.contact
    attachment = Attachment.objects.get(message__case=case)
    path = attachment.file.path
    messages_before = list(Message.objects.filter(case=case).values_list("pk", "direction", "channel", "created_at"))
    assert search(agents["anna"], "Kohlrabi") and search(agents["anna"], "jana@example.org")
    assert CapturedMail.objects.filter(recipients__icontains="jana@example.org").exists()
    url = reverse("desk:contact_erase", args=[contact.pk])
    assert client_for("claire").post(url, {"confirm": "erase"}).status_code == 403  # a supervisor
    Draft.objects.create(agent=agents["anna"], case=case, kind="reply", text="Liebe Frau Geheim")
    admin = client_for("sarah")
    admin.post(url)  # not confirmed: nothing happens
    assert Contact.objects.get(pk=contact.pk).name == "Jana Geheim"
    assert Path(path).exists()
    with django_capture_on_commit_callbacks(execute=True):
        admin.post(url, {"confirm": "erase"})
    assert not Path(path).exists()
    assert Contact.objects.get(pk=contact.pk).name == ""
    assert list(Identity.objects.filter(contact=contact).values_list("value", flat=True)) == [
        f"erased-{contact.identities.get().pk}"
    ]
    case.refresh_from_db()
    assert case.subject == "[erased]" and case.state == CaseState.OPEN and case.owner_id == agents["anna"].pk
    after = list(Message.objects.filter(case=case).values_list("pk", "direction", "channel", "created_at"))
    assert after == messages_before  # the statistics' rows stay
    assert set(Message.objects.filter(case=case).values_list("body_text", "body_html", "address")) == {
        ("[erased]", "", "")
    }
    assert not Attachment.objects.filter(message__case=case).exists()
    assert not Draft.objects.filter(case=case).exists()
    assert not Inbound.objects.filter(case=case).exclude(raw=b"").exists()
    assert not CapturedMail.objects.filter(recipients__icontains="jana@example.org").exists()
    assert search(agents["anna"], "Kohlrabi") == [] and search(agents["anna"], "jana@example.org") == []
    assert search(agents["anna"], "Geheim") == []
    entry = AuditEntry.objects.get(action=Action.CONTACT_ERASE)
    assert entry.actor_id == sarah.pk and entry.detail["messages"] == len(after) and "Jana" not in str(entry.detail)


def test_api_export_and_erase_need_the_admin_scope_of_the_brand(case, brand, other_brand, sarah):
    def client(scopes: list[str], brands: list) -> Client:
        return Client(headers={"Authorization": f"Bearer {tokens.issue('CRM', brands, scopes)[1]}"})

    export = f"/api/contacts/{case.contact_id}/export"
    erase = f"/api/contacts/{case.contact_id}/erase"
    assert client(["read", "write"], [brand]).get(export).status_code == 403
    assert client(["read", "write", "admin"], [other_brand]).get(export).status_code == 404
    assert client(["read", "write", "admin"], [other_brand]).post(erase).status_code == 404
    assert client_for("anna").get(export).status_code == 403
    response = client(["read", "admin"], [brand]).get(export)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    assert "Jana Geheim" in _zip(response.content).read("data.json").decode()
    response = client_for("sarah").post(erase)
    assert response.status_code == 200 and response.json()["cases"] == 1
    assert Contact.objects.get(pk=case.contact_id).name == ""
    vias = list(
        AuditEntry.objects.filter(action__in=[Action.CONTACT_EXPORT, Action.CONTACT_ERASE])
        .order_by("id")
        .values_list("via", flat=True)
    )
    assert vias == ["api:CRM", "api"]


def test_retention_deletes_old_raw_payloads_and_closed_cases(agents, brand, other_brand, mail_case):
    now = timezone.now()
    old_closed = mail_case(brand, "Alt und geschlossen", owner=agents["anna"])
    old_open = mail_case(brand, "Alt und offen", owner=agents["anna"])
    new_closed = mail_case(brand, "Neu und geschlossen", owner=agents["anna"])
    foreign = mail_case(other_brand, "Alt bei KabelNet")
    Case.objects.filter(pk__in=[old_closed.pk, new_closed.pk, foreign.pk]).update(state=CaseState.CLOSED)
    Case.objects.filter(pk__in=[old_closed.pk, old_open.pk, foreign.pk]).update(updated_at=now - timedelta(days=400))
    Inbound.objects.filter(case__in=[old_open, foreign]).update(received_at=now - timedelta(days=40))
    RetentionPolicy.objects.create(brand=brand, raw_payload_days=30, closed_case_days=365)
    assert retention.purge(now) == {brand.pk: {"raw": 1, "cases": 1}}  # old_open's inbound; old_closed
    assert set(Case.objects.values_list("subject", flat=True)) == {
        "Alt und offen",
        "Neu und geschlossen",
        "Alt bei KabelNet",
    }
    raw = dict(Inbound.objects.exclude(case=None).values_list("case__subject", "raw"))
    assert bytes(raw["Alt und offen"]) == b"" and bytes(raw["Neu und geschlossen"]) != b""
    assert bytes(raw["Alt bei KabelNet"]) != b""  # no policy for that brand
    entry = AuditEntry.objects.get(action=Action.RETENTION)
    assert (entry.brand_id, entry.actor_id, entry.detail) == (brand.pk, None, {"raw": 1, "cases": 1})
    assert retention.purge(now) == {}  # nothing more to do, nothing audited


def test_the_worker_runs_retention(monkeypatch):
    from anliegen.runtime.processes import Background

    spawned = []
    monkeypatch.setattr(Background, "_spawn", lambda self, name, target: spawned.append(name))
    Background(intake=False)._start_periodic()
    assert "retention" in spawned
