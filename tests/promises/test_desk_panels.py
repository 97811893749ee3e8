"""Desk panels: record and keep promises, escalate, verify identities, merge/split cases, the ledger pages."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from anliegen.core.models import Case, Escalation, Identity, MergeProposal
from anliegen.promises.models import Promise
from tests.conftest import PASSWORD
from tests.promises.factories import email, webform


@pytest.fixture
def case(brand, agents):
    return webform(brand, "jana@example.org", "Ausfall", "Der Strom war zwei Tage weg.", "s1", name="Jana Krüger")


def login(name: str) -> Client:
    client = Client()
    assert client.login(username=name, password=PASSWORD)
    return client


def local(hours: int) -> str:
    return timezone.localtime(timezone.now() + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def test_case_page_loads_the_panel_and_the_panel_is_scoped(case, other_brand):
    anna = login("anna")
    page = anna.get(f"/desk/cases/{case.pk}/")
    assert page.status_code == 200
    assert f"/desk/cases/{case.pk}/panels/".encode() in page.content
    panel = anna.get(f"/desk/cases/{case.pk}/panels/")
    assert panel.status_code == 200 and b"Record a promise" in panel.content and b"jana@example.org" in panel.content
    assert login("dora").get(f"/desk/cases/{case.pk}/panels/").status_code == 404
    assert Client().get(f"/desk/cases/{case.pk}/panels/").status_code == 302  # to the login page


def test_record_keep_and_refuse_promises_in_the_panel(case, agents, tasks):
    ben = login("ben")
    url = f"/desk/cases/{case.pk}/promises/"
    refused = ben.post(url, {"kind": "credit", "amount": "80.00", "due_at": local(24)})
    assert refused.status_code == 400 and b"beyond your authority" in refused.content
    negative = ben.post(url, {"kind": "credit", "amount": "-5", "due_at": local(24)})
    assert negative.status_code == 400 and not Promise.objects.exists()
    ok = ben.post(url, {"kind": "credit", "amount": "15.50", "due_at": local(24)})
    assert ok.status_code == 200, ok.content.decode()
    promise = Promise.objects.get()
    assert (promise.amount_cents, promise.owner, promise.created_by) == (1550, case.owner, agents["ben"])
    no_ref = ben.post(f"/desk/promises/{promise.pk}/keep/", {"text": ""})
    assert no_ref.status_code == 400 and b"booking reference" in no_ref.content
    tasks()
    mail.outbox = []
    assert ben.post(f"/desk/promises/{promise.pk}/keep/", {"text": "GS-9"}).status_code == 200
    assert Promise.objects.get().state == "kept"
    tasks()
    assert "15,50 EUR" in mail.outbox[-1].body


def test_escalate_from_the_panel_and_resolve_from_the_list(case, agents):
    anna = login("anna")
    r = anna.post(
        f"/desk/cases/{case.pk}/escalate/", {"need": "credit_max_cents", "amount": "90", "note": "90 € bitte"}
    )
    assert r.status_code == 200, r.content.decode()
    esc = Escalation.objects.get()
    assert esc.to_agent == agents["claire"]
    claire = login("claire")
    listing = claire.get("/desk/escalations/")
    assert b"90,00 EUR" in listing.content or b"90.00 EUR" in listing.content
    assert case.subject.encode() in listing.content
    assert login("ben").get("/desk/escalations/").content.count(b"90 \xe2\x82\xac bitte") == 0
    claire.post(f"/desk/escalations/{esc.pk}/resolve/", {"resolution": "genehmigt", "from": "list"})
    assert Escalation.objects.get().state == "resolved"


def test_identity_verification_in_the_panel(case, django_capture_on_commit_callbacks):
    anna = login("anna")
    identity = Identity.objects.get(value="jana@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        sent = anna.post(f"/desk/cases/{case.pk}/identities/{identity.pk}/send/")
    assert sent.status_code == 200 and b"Code sent" in sent.content
    code = next(w for w in mail.outbox[-1].body.split() if w.strip(".:").isdigit() and len(w.strip(".:")) == 6)
    wrong = anna.post(f"/desk/cases/{case.pk}/identities/{identity.pk}/check/", {"code": "x"})
    assert wrong.status_code == 400 and b"wrong code" in wrong.content
    ok = anna.post(f"/desk/cases/{case.pk}/identities/{identity.pk}/check/", {"code": code.strip(".:")})
    assert ok.status_code == 200 and Identity.objects.get(pk=identity.pk).verified


def test_merge_and_split_cases_from_the_panel(case, brand, agents):
    other = email(brand, "jana@example.org", "Umzug", "Ich ziehe um.")
    anna = login("anna")
    r = anna.post(f"/desk/cases/{other.pk}/merge/", {"other": case.pk}, HTTP_HX_REQUEST="true")
    assert r.status_code == 204 and r["HX-Redirect"] == f"/desk/cases/{case.pk}/"
    assert Case.objects.get(pk=other.pk).merged_into_id == case.pk
    moving = list(case.messages.filter(direction="in", channel="email").values_list("pk", flat=True))
    r = anna.post(f"/desk/cases/{case.pk}/split/", {"messages": moving, "subject": "Umzug"})
    assert r.status_code == 302
    assert Case.objects.get(subject="Umzug", merged_into__isnull=True).messages.count() == len(moving)


def test_ledger_page_shows_rates_and_leave(case, agents):
    Promise.objects.create(
        case=case,
        brand=case.brand,
        owner=agents["anna"],
        kind="callback",
        due_at=timezone.now() - timedelta(hours=2),
        state="kept",
        closed_at=timezone.now() - timedelta(hours=3),
    )
    anna = login("anna")
    page = anna.get("/desk/promises/")
    assert page.status_code == 200 and b"100 %" in page.content and b"Stadtwerk Nord" in page.content
    refused = anna.post("/desk/leave/", {"on_leave": "1"})
    assert refused.status_code == 400 and b"deputy" in refused.content
    agents["anna"].deputy = agents["ben"]
    agents["anna"].save()
    assert anna.post("/desk/leave/", {"on_leave": "1"}).status_code == 302
    assert login("ben").get("/desk/promises/").content.count(case.subject.encode()) >= 1


def test_merge_proposals_page(brand, agents):
    webform(brand, "jana@example.org", "Zähler", "Mein Zähler", "s1")
    webform(brand, "j@example.net", "Abschlag", "Abschlag", "s2", phone="0170 5550101")
    webform(brand, "jana@example.org", "Zähler", "Nochmal", "s3", phone="0170 5550101")
    anna = login("anna")
    page = anna.get("/desk/contacts/proposals/")
    assert b"jana@example.org" in page.content
    proposal = MergeProposal.objects.get()
    anna.post("/desk/contacts/proposals/", {"proposal": proposal.pk, "decision": "dismiss"})
    assert MergeProposal.objects.get().state == "dismissed"
