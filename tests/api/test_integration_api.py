"""The API for integrations: tokens with scopes and brands, cursor pages, ETags, one error shape, rate limits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from anliegen.core.models import CaseState
from anliegen.integrations import tokens
from anliegen.integrations.models import Integration
from anliegen.promises.models import Promise
from tests.promises.factories import webform


@pytest.fixture
def case(brand, agents):
    return webform(brand, "jana@example.org", "Ausfall", "Der Strom war zwei Tage weg.", "s1", name="Jana Krüger")


def client_with(token: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {token}"})


@pytest.fixture
def crm(brand) -> Client:
    return client_with(tokens.issue("CRM", [brand], ["read", "write", "admin"])[1])


@pytest.fixture
def reader(brand) -> Client:
    return client_with(tokens.issue("Reporting", [brand], ["read"])[1])


def test_the_token_is_shown_once_and_kept_as_a_hash(brand):
    integration, token = tokens.issue("CRM", [brand], ["read"])
    stored = Integration.objects.get(pk=integration.pk)
    assert token.startswith("ait_") and token not in (stored.token_hash, stored.prefix)
    assert tokens.check(token).pk == integration.pk
    assert tokens.revoke(integration.prefix)
    with pytest.raises(tokens.TokenRefused):
        tokens.check(token)


def test_bad_or_revoked_token_is_401_in_the_one_error_shape(brand, case):
    integration, token = tokens.issue("CRM", [brand], ["read"])
    response = client_with("ait_nothing_here").get("/api/cases")
    assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["status"] == 401 and body["code"] == "unauthorized" and body["errors"] == []
    assert client_with(token).get("/api/cases").status_code == 200
    tokens.revoke(integration.prefix)
    assert client_with(token).get("/api/cases").json()["code"] == "unauthorized"


def test_scopes_read_write_admin(reader, crm, case):
    assert reader.get(f"/api/cases/{case.pk}").status_code == 200
    refused = reader.post(
        f"/api/cases/{case.pk}/messages", {"kind": "note", "text": "x"}, content_type="application/json"
    )
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden" and "write" in refused.json()["detail"]
    added = crm.post(
        f"/api/cases/{case.pk}/messages", {"kind": "note", "text": "aus dem CRM"}, content_type="application/json"
    )
    assert (
        added.status_code == 201 and added.json()["kind"] == "note" and added.json()["author_agent_id"] == case.owner_id
    )


def test_other_brands_ids_are_404(crm, case, other_brand):
    other = webform(other_brand, "kunde@example.org", "Fernseher", "Kein Bild", "k1")
    assert [c["id"] for c in crm.get("/api/cases").json()["items"]] == [case.pk]
    for url in (f"/api/cases/{other.pk}", f"/api/contacts/{other.contact_id}", f"/api/cases/{other.pk}/messages"):
        response = crm.get(url)
        assert response.status_code == 404 and response.json()["code"] == "not_found", url
    dora = other_brand.default_owner
    assert crm.get(f"/api/agents/{dora.pk}").status_code == 404
    patched = crm.patch(f"/api/cases/{other.pk}", {"state": "solved"}, content_type="application/json")
    assert patched.status_code == 404
    other.refresh_from_db()
    assert other.state == CaseState.OPEN


def test_cursor_pagination_walks_every_case_once(brand, agents, crm):
    made = [webform(brand, f"k{i}@example.org", f"Anliegen {i}", "Text", f"p{i}").pk for i in range(5)]
    seen, cursor = [], None
    while True:
        page = crm.get("/api/cases", {"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        seen += [c["id"] for c in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert seen == sorted(made, reverse=True)
    forged = crm.get("/api/cases", {"cursor": "eyJpZCI6MX0"})
    assert forged.status_code == 400 and forged.json()["code"] == "bad_request"


def test_etag_if_none_match_and_if_match(crm, case):
    first = crm.get(f"/api/cases/{case.pk}")
    tag = first["ETag"]
    assert tag.startswith('"') and crm.get(f"/api/cases/{case.pk}", headers={"If-None-Match": tag}).status_code == 304
    changed = crm.patch(
        f"/api/cases/{case.pk}", {"subject": "Stromausfall"}, content_type="application/json", headers={"If-Match": tag}
    )
    assert changed.status_code == 200 and changed.json()["subject"] == "Stromausfall" and changed["ETag"] != tag
    stale = crm.patch(
        f"/api/cases/{case.pk}", {"state": "solved"}, content_type="application/json", headers={"If-Match": tag}
    )
    assert stale.status_code == 412 and stale.json()["code"] == "precondition_failed"
    case.refresh_from_db()
    assert case.state == CaseState.OPEN and case.subject == "Stromausfall"
    assert crm.get(f"/api/cases/{case.pk}", headers={"If-None-Match": tag}).status_code == 200


def test_contacts_identities_promises_incidents_agents_search(crm, case, agents):
    contact = crm.get(f"/api/contacts/{case.contact_id}").json()
    assert contact["name"] == "Jana Krüger" and contact["identities"][0]["value"] == "jana@example.org"
    found = crm.get("/api/identities", {"kind": "email", "value": "Jana@Example.org"}).json()["items"]
    assert [i["contact_id"] for i in found] == [case.contact_id]
    added = crm.post(
        f"/api/contacts/{case.contact_id}/identities",
        {"kind": "phone", "value": "040 1234567"},
        content_type="application/json",
    )
    assert added.status_code == 201 and added.json()["value"] == "+49401234567"
    due = (timezone.now() + timedelta(days=1)).isoformat()
    made = crm.post(
        f"/api/cases/{case.pk}/promises",
        {"kind": "custom", "due_at": due, "text": "Rückruf"},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["owner_id"] == case.owner_id
    listed = crm.get("/api/promises", {"state": "open"}).json()["items"]
    assert [p["id"] for p in listed] == [made.json()["id"]]
    kept = crm.post(f"/api/promises/{listed[0]['id']}/keep", {"text": "erledigt"}, content_type="application/json")
    assert kept.status_code == 200 and Promise.objects.get().state == Promise.State.KEPT
    assert crm.get("/api/incidents").json() == {"items": [], "next_cursor": None}
    names = {a["name"] for a in crm.get("/api/agents").json()["items"]}
    assert names == {"Anna Schmidt", "Ben Wagner", "Claire Miller"}
    hits = crm.get("/api/search", {"q": "Strom"}).json()
    assert [h["case_id"] for h in hits] == [case.pk]


def test_validation_errors_have_the_one_shape(crm, case):
    response = crm.post(f"/api/cases/{case.pk}/messages", {"kind": "shout"}, content_type="application/json")
    body = response.json()
    assert response.status_code == 422 and body["code"] == "invalid" and body["errors"][0]["loc"]


def test_rate_limit_per_token_is_429_with_retry_after(brand, case):
    _, token = tokens.issue("Busy", [brand], ["read"], rate_limit="3/m")
    _, calm = tokens.issue("Calm", [brand], ["read"], rate_limit="3/m")
    busy = client_with(token)
    assert [busy.get("/api/cases").status_code for _ in range(3)] == [200, 200, 200]
    refused = busy.get("/api/cases")
    assert refused.status_code == 429 and refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert client_with(calm).get("/api/cases").status_code == 200  # per token, not for everyone


def test_schema_is_served_to_a_token_and_documents_every_error(reader):
    schema = reader.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/cases/{case_id}"]["patch"]
    assert {"401", "403", "404", "412", "422", "429"} <= set(operation["responses"])
    assert client_with("ait_wrong_token").get("/api/openapi.json").status_code == 401


def test_cli_creates_lists_and_revokes(brand, capsys):
    from django.core.management import call_command

    call_command("integration", "create", "ERP", "--brand", brand.slug, "--scope", "read", "--scope", "write")
    token = capsys.readouterr().out.strip()
    found = tokens.check(token)
    assert found.scopes == ["read", "write"] and tokens.brand_ids(found) == [brand.pk]
    call_command("integration", "list")
    assert found.prefix in capsys.readouterr().out
    call_command("integration", "revoke", found.prefix)
    assert client_with(token).get("/api/cases").status_code == 401


def test_admin_shows_a_new_token_once(brand, admin_client):
    response = admin_client.post(
        "/admin/integrations/integration/add/",
        {"name": "Shop", "brands": [brand.pk], "scopes": ["read"], "rate_limit": "60/m"},
        follow=True,
    )
    shown = [str(m) for m in response.context["messages"]]
    assert response.status_code == 200, shown
    token = next(m.rpartition(" ")[2] for m in shown if "shown this once" in m)
    assert token.startswith("ait_") and client_with(token).get("/api/cases").status_code == 200
    assert token not in str(list(Integration.objects.values()))


def test_times_with_offsets_the_database_refuses_are_taken_as_utc(crm, case):
    # PostgreSQL takes offsets up to ±15:59; Python (and so the schema) up to ±24 h.
    assert crm.get("/api/cases", {"updated_since": "2020-01-01T00:00:00+20:48"}).json()["items"][0]["id"] == case.pk
    assert crm.get("/api/promises", {"due_before": "0001-01-01T01:00:00+05:00"}).status_code == 422
