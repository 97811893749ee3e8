"""Adapter health in the desk: last event, last delivery error, queued replies, and the credentials check."""

from __future__ import annotations

import dataclasses

import pytest

from anliegen.channels.messaging import health
from anliegen.channels.messaging.http import call
from anliegen.channels.messaging.models import HealthCheck
from anliegen.channels.testing import Answer, Provider, post_fixture, registered
from anliegen.channels.tests import sample
from anliegen.core.models import Agent, Membership, Message, MessageKind
from anliegen.core.setup import create_brand

API = {"url": ""}


def me(brand) -> str:
    if brand.slug != "stadtwerk":
        raise LookupError("no account for this brand")
    return call("GET", f"{API['url']}/me").json()["name"]


@pytest.fixture
def api():
    with Provider() as provider:
        API["url"] = provider.url
        yield provider


@pytest.fixture
def channel(agents):
    spec = dataclasses.replace(sample.SPEC, health=f"{__name__}.me")
    with registered(spec):
        yield spec


def admin(agents):
    anna = agents["anna"]
    Membership.objects.filter(agent=anna).update(role=Membership.Role.ADMIN)
    return Agent.objects.get(pk=anna.pk)


def test_health_shows_the_last_event_error_and_queue_and_checks_credentials(client, channel, brand, api, tasks):
    api.on("GET", "/me", Answer(json={"name": "Stadtwerk Bot"}), Answer(401, json={"description": "Unauthorized"}))
    assert post_fixture(client, "sample", "message__invoice.json", key=brand.slug, sign=sample.sign).status_code == 200
    confirmation = Message.objects.get(kind=MessageKind.CONFIRMATION, channel="sample")
    Message.objects.filter(pk=confirmation.pk).update(delivery_error="ProviderError: HTTP 503: busy")
    [row] = [r for r in health.snapshot(brand) if r.channel == "sample"]  # beside the real channels' rows
    assert row.channel == "sample" and row.last_event_at is not None
    assert row.last_error == "ProviderError: HTTP 503: busy" and row.queued == 1 and row.check is None

    client.force_login(admin({"anna": confirmation.case.owner}).user)
    page = client.get("/desk/channels/")
    assert page.status_code == 200
    assert b"HTTP 503: busy" in page.content and b"Stadtwerk Nord" in page.content
    assert client.post(f"/desk/channels/{brand.pk}/sample/check/").status_code == 302
    assert HealthCheck.objects.get(brand=brand, channel="sample").detail == "Stadtwerk Bot"
    client.post(f"/desk/channels/{brand.pk}/sample/check/")
    refused = HealthCheck.objects.get(brand=brand, channel="sample")
    assert not refused.ok and "401" in refused.detail and "Unauthorized" in refused.detail
    assert b"Unauthorized" in client.get("/desk/channels/").content
    assert [r.path for r in api.requests] == ["/me", "/me"]


def test_only_admins_see_health_and_a_brand_without_an_account_is_named(client, channel, brand, agents, api):
    client.force_login(agents["ben"].user)
    assert client.get("/desk/channels/").status_code == 403
    assert client.post(f"/desk/channels/{brand.pk}/sample/check/").status_code == 403
    assert api.requests == []
    other = create_brand("kabel2", "Kabel Zwei", "kabel2.example")
    assert health.check(other, "sample").detail == "no account for this brand"


def test_send_private_goes_only_where_the_contact_can_be_reached(client, channel, brand, tasks):
    from anliegen.channels.private.send import send_private
    from anliegen.core.models import Case
    from anliegen.core.services.cases import CaseError

    post_fixture(client, "sample", "message__invoice.json", key=brand.slug, sign=sample.sign)
    case = Case.objects.get()
    message = send_private(case, case.owner, "sample", "Ihr Zählerstand ist korrigiert.")
    assert (message.channel, message.address, message.delivery) == ("sample", "+494055509876", Message.Delivery.QUEUED)
    with pytest.raises(CaseError, match="at most 160"):
        send_private(case, case.owner, "sample", "x" * 161)
    with pytest.raises(CaseError, match="no address on email"):
        send_private(case, case.owner, "email", "Hallo")
    with pytest.raises(CaseError, match="no private channel"):
        send_private(case, case.owner, "webform", "Hallo")


def test_a_telegram_bot_cannot_open_a_chat(client, channel, brand):
    from anliegen.channels.private.send import open_private, start_link
    from anliegen.core.models import Case
    from anliegen.core.services.cases import CaseError

    post_fixture(client, "sample", "message__invoice.json", key=brand.slug, sign=sample.sign)
    with pytest.raises(CaseError, match="cannot write first"):
        open_private(Case.objects.get(), Case.objects.get().owner, "telegram", "Hallo")
    assert start_link(brand, "telegram") == "" and start_link(brand, "sms") == ""
