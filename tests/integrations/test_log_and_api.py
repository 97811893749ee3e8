"""The delivery log in the desk (admins only, with replay) and the webhook endpoints through the API."""

from __future__ import annotations

import pytest
from django.test import Client

from anliegen.core.models import Membership
from anliegen.integrations import tokens
from anliegen.integrations.models import WebhookDelivery, WebhookEndpoint
from tests.conftest import PASSWORD
from tests.promises.factories import webform


@pytest.fixture
def delivered(brand, agents, settings, tasks) -> WebhookDelivery:
    # Nothing listens on the port: every try is logged without an answer.
    settings.WEBHOOK_RETRY_BASE_SECONDS, settings.WEBHOOK_MAX_ATTEMPTS = 0, 2
    WebhookEndpoint.objects.create(brand=brand, url="http://127.0.0.1:9/hook", secret="s", events=["case.created"])
    webform(brand, "jana@example.org", "Ausfall", "Text", "s1")
    tasks()
    return WebhookDelivery.objects.get()


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=PASSWORD)
    return client


def test_admins_read_the_log_and_send_again(brand, agents, delivered):
    assert delivered.state == WebhookDelivery.State.FAILED and delivered.attempts == 2
    assert signed_in("anna").get("/desk/webhooks/").status_code == 403
    Membership.objects.filter(agent=agents["claire"]).update(role=Membership.Role.ADMIN)
    claire = signed_in("claire")
    page = claire.get("/desk/webhooks/").content.decode()
    assert "case.created" in page and "http://127.0.0.1:9/hook" in page and "Connection refused" in page
    assert claire.post(f"/desk/webhooks/{delivered.pk}/replay/").status_code == 302
    assert WebhookDelivery.objects.filter(replay_of=delivered).count() == 1
    assert signed_in("anna").post(f"/desk/webhooks/{delivered.pk}/replay/").status_code == 404


def test_endpoints_through_the_api_need_the_admin_scope(brand, other_brand, delivered):
    admin = Client(headers={"Authorization": f"Bearer {tokens.issue('Ops', [brand], ['read', 'admin'])[1]}"})
    reader = Client(headers={"Authorization": f"Bearer {tokens.issue('BI', [brand], ['read'])[1]}"})
    assert reader.get("/api/webhooks").status_code == 403
    made = admin.post(
        "/api/webhooks",
        {"brand_id": brand.pk, "url": "https://crm.example/hook", "events": ["case.solved"]},
        content_type="application/json",
    )
    assert made.status_code == 201 and made.json()["secret"].startswith("whsec_")
    assert "secret" not in admin.get("/api/webhooks").json()[0]
    foreign = admin.post(
        "/api/webhooks", {"brand_id": other_brand.pk, "url": "https://x.example/"}, content_type="application/json"
    )
    assert foreign.status_code == 404
    bad = admin.post(
        "/api/webhooks",
        {"brand_id": brand.pk, "url": "https://x.example/", "events": ["nope"]},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "unknown events" in bad.json()["detail"]
    log = admin.get(f"/api/webhooks/{delivered.endpoint_id}/deliveries").json()["items"]
    assert [(d["event"], d["state"], d["attempts"]) for d in log] == [("case.created", "failed", 2)]
    again = admin.post(f"/api/webhook-deliveries/{delivered.pk}/replay")
    assert again.status_code == 201 and again.json()["replay_of_id"] == delivered.pk
    assert admin.delete(f"/api/webhooks/{made.json()['id']}").status_code == 204
