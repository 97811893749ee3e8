"""The REST API: session auth with CSRF, brand scoping, clear 4xx for refused actions, OpenAPI docs."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from anliegen.promises.models import Promise
from tests.conftest import PASSWORD
from tests.promises.factories import webform


@pytest.fixture
def case(brand, agents):
    return webform(brand, "jana@example.org", "Ausfall", "Der Strom war zwei Tage weg.", "s1", name="Jana Krüger")


def client_for(username: str, csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=csrf)
    assert client.login(username=username, password=PASSWORD)
    return client


def due() -> str:
    return (timezone.now() + timedelta(days=1)).isoformat()


def test_anonymous_is_refused_and_docs_are_served(case, client):
    assert client.get("/api/cases").status_code == 401
    assert client.get("/api/docs").status_code == 302  # to the sign-in: docs are for agents (test_docs.py)
    schema = client_for("anna").get("/api/openapi.json").json()
    assert "/api/cases/{case_id}/promises" in schema["paths"]


def test_cases_are_scoped_to_the_agents_brands(case, other_brand):
    other = webform(other_brand, "kunde@example.org", "Fernseher", "Kein Bild", "k1")
    anna = client_for("anna")
    assert [c["id"] for c in anna.get("/api/cases").json()["items"]] == [case.pk]
    assert anna.get(f"/api/cases/{other.pk}").status_code == 404
    detail = anna.get(f"/api/cases/{case.pk}").json()
    assert detail["owner_name"] == case.owner.name
    assert detail["identities"] == [
        {"id": detail["identities"][0]["id"], "kind": "email", "value": "jana@example.org", "verified": False}
    ]
    dora = client_for("dora")
    assert dora.get(f"/api/cases/{case.pk}").status_code == 404
    assert (
        dora.post(
            f"/api/cases/{case.pk}/promises", {"kind": "callback", "due_at": due()}, content_type="application/json"
        ).status_code
        == 404
    )


def test_promise_create_keep_and_refusals(case, agents, other_brand):
    ben = client_for("ben")
    url = f"/api/cases/{case.pk}/promises"
    r = ben.post(url, {"kind": "credit", "amount_cents": 8000, "due_at": due()}, content_type="application/json")
    assert r.status_code == 400 and "beyond your authority" in r.json()["detail"]
    r = ben.post(url, {"kind": "credit", "amount_cents": -1, "due_at": due()}, content_type="application/json")
    assert r.status_code == 400 and "positive amount" in r.json()["detail"]
    r = ben.post(url, {"kind": "credit", "amount_cents": "lots", "due_at": due()}, content_type="application/json")
    assert r.status_code == 422
    r = ben.post(url, {"kind": "credit", "amount_cents": 1500, "due_at": due()}, content_type="application/json")
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    assert r.json()["owner_id"] == agents["ben"].pk
    r = ben.post(f"/api/promises/{pid}/keep", {"text": "GS-1"}, content_type="application/json")
    assert r.status_code == 200 and r.json()["state"] == "kept"
    r = ben.post(f"/api/promises/{pid}/cancel", {"text": "oops"}, content_type="application/json")
    assert r.status_code == 400 and "already" in r.json()["detail"]
    assert (
        client_for("dora").post(f"/api/promises/{pid}/keep", {"text": "x"}, content_type="application/json").status_code
        == 404
    )


def test_csrf_is_enforced_for_session_posts(case):
    anna = client_for("anna", csrf=True)
    r = anna.post(
        f"/api/cases/{case.pk}/promises", {"kind": "callback", "due_at": due()}, content_type="application/json"
    )
    assert r.status_code == 403
    anna.get("/desk/login/")  # any page that sets the CSRF cookie
    token = anna.cookies["csrftoken"].value if "csrftoken" in anna.cookies else None
    if token is None:
        from django.middleware.csrf import _get_new_csrf_string

        token = _get_new_csrf_string()
        anna.cookies["csrftoken"] = token
    r = anna.post(
        f"/api/cases/{case.pk}/promises",
        {"kind": "callback", "due_at": due()},
        content_type="application/json",
        headers={"X-CSRFToken": token},
    )
    assert r.status_code == 201, r.content
    assert Promise.objects.count() == 1


def test_escalations_through_the_api(case, agents):
    ben = client_for("ben")
    r = ben.post(
        f"/api/cases/{case.pk}/escalations",
        {"need": {"credit_max_cents": 8000}, "note": "80 € Gutschrift"},
        content_type="application/json",
    )
    assert r.status_code == 201, r.content
    esc = r.json()
    assert esc["to_agent_name"] in ("Anna Schmidt", "Claire Miller")
    r = ben.post(
        f"/api/cases/{case.pk}/escalations", {"need": {"beer": 1}, "note": "x"}, content_type="application/json"
    )
    assert r.status_code == 400 and "unknown need" in r.json()["detail"]
    claire = client_for("claire")
    assert [e["id"] for e in claire.get("/api/escalations").json()] == [esc["id"]]  # supervisor sees all
    r = claire.post(
        f"/api/escalations/{esc['id']}/resolve", {"resolution": "80 € genehmigt"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["state"] == "resolved"
    assert claire.get("/api/escalations").json() == []


def test_merge_proposals_through_the_api(brand, agents, other_brand):
    webform(brand, "jana@example.org", "Zähler", "Mein Zähler", "s1")
    webform(brand, "j@example.net", "Abschlag", "Abschlag", "s2", phone="0170 5550101")
    webform(brand, "jana@example.org", "Zähler", "Nochmal", "s3", phone="0170 5550101")
    anna = client_for("anna")
    [proposal] = anna.get("/api/merge-proposals").json()
    assert client_for("dora").get("/api/merge-proposals").json() == []
    r = anna.post(f"/api/merge-proposals/{proposal['id']}/merge")
    assert r.status_code == 200 and r.json()["state"] == "merged"
    assert anna.post(f"/api/merge-proposals/{proposal['id']}/merge").status_code == 400
