"""The webhook door with a registered channel: signed fixtures in, stored once, processed, answered on the channel."""

from __future__ import annotations

import logging

import pytest
from django.db import OperationalError

from anliegen.channels import registry, webhooks
from anliegen.channels.testing import feed_fixtures, post_fixture, registered, webhook_url
from anliegen.core.models import Case, Message, MessageKind
from anliegen.core.services.cases import reply_target
from anliegen.core.services.verification import may_disclose
from anliegen.desk.forms import reply_channels
from anliegen.intake.models import Inbound, InboundState

from . import sample


@pytest.fixture
def channel(agents):
    sample.outbox.clear()
    with registered(sample.SPEC):
        yield sample.SPEC


def test_signed_fixtures_are_stored_once_and_become_cases(client, channel, brand, tasks):
    responses = feed_fixtures(client, "sample", "message__*.json", key=brand.slug, sign=sample.sign)
    assert {name: r.status_code for name, r in responses.items()} == {
        "message__invoice.json": 200,
        "message__meter.json": 200,
    }
    again = feed_fixtures(client, "sample", "message__*.json", key=brand.slug, sign=sample.sign)
    assert all(r.status_code == 200 for r in again.values())
    inbounds = Inbound.objects.filter(channel="sample")
    assert sorted(inbounds.values_list("external_id", flat=True)) == ["evt-1001", "evt-1002"]
    assert set(inbounds.values_list("state", flat=True)) == {InboundState.DONE}
    case = Case.objects.get(brand=brand, messages__external_id="evt-1001")
    assert case.preferred_channel == "sample"
    # The spec says the channel confirms on itself, to the phone number it came from.
    confirmation = Message.objects.get(case=case, kind=MessageKind.CONFIRMATION)
    assert (confirmation.channel, confirmation.address) == ("sample", "+494055501234")
    tasks()
    assert ("+494055501234", confirmation.body_text[:160]) in sample.outbox
    # The desk offers the channel for a reply, and replies go there by default.
    assert ("sample", "sample") in reply_channels(case)
    assert reply_target(case) == ("sample", "+494055501234")


def test_bad_signature_is_refused_and_logged(client, channel, brand, caplog):
    caplog.set_level(logging.WARNING, logger="anliegen.channels.webhooks")
    wrong = post_fixture(client, "sample", "message__meter.json", key=brand.slug, headers={"X-Signature": "sha256=00"})
    unsigned = post_fixture(client, "sample", "message__meter.json", key=brand.slug)
    assert (wrong.status_code, unsigned.status_code) == (403, 403)
    assert "bad signature" in caplog.text
    assert not Inbound.objects.filter(channel="sample").exists()


def test_malformed_bodies_are_400_with_the_reason(client, channel, brand):
    responses = feed_fixtures(client, "sample", "malformed__*.json", key=brand.slug, sign=sample.sign)
    assert {name: r.status_code for name, r in responses.items()} == {
        "malformed__no_id.json": 400,
        "malformed__truncated.json": 400,
    }
    assert b"an event needs an id" in responses["malformed__no_id.json"].content
    unknown = post_fixture(client, "sample", "message__meter.json", key="nobody", sign=sample.sign)
    assert unknown.status_code == 400 and b"no brand" in unknown.content
    assert not Inbound.objects.filter(channel="sample").exists()


def test_other_methods_are_not_allowed(client, channel, brand):
    assert client.get(webhook_url("sample", brand.slug)).status_code == 405
    assert client.put(webhook_url("sample", brand.slug)).status_code == 405


def test_a_database_that_cannot_store_answers_503_so_the_provider_retries(client, channel, brand, monkeypatch):
    def broken(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(webhooks, "accept", broken)
    response = post_fixture(client, "sample", "message__meter.json", key=brand.slug, sign=sample.sign)
    assert response.status_code == 503


def test_a_synchronous_channel_is_processed_within_the_request(client, agents, brand, settings):
    settings.INTAKE_EAGER = False  # as in production: without the flag the worker would do it later
    spec = registry.ChannelSpec(**{**sample.SPEC.__dict__, "synchronous": True})
    with registered(spec):
        response = post_fixture(client, "sample", "message__meter.json", key=brand.slug, sign=sample.sign)
    assert response.status_code == 200
    assert Inbound.objects.get(channel="sample").state == InboundState.DONE


def test_public_and_unknown_channels_disclose_nothing(client, channel, brand):
    post_fixture(client, "sample", "message__meter.json", key=brand.slug, sign=sample.sign)
    case = Case.objects.get(brand=brand)
    identity = case.contact.identities.get(kind="phone")
    identity.verified = True
    feed = registry.ChannelSpec(**{**sample.SPEC.__dict__, "name": "feed", "public": True})
    with registered(feed):
        assert may_disclose(case, "sample", identity)
        assert not may_disclose(case, "feed", identity)
    assert not may_disclose(case, "no-such-channel", identity)


@pytest.mark.nodb
def test_signature_helpers_compare_in_constant_time_and_refuse_what_is_missing():
    body = b'{"id": 1}'
    good = "sha256=" + webhooks.digest("k", body)
    assert webhooks.check_hmac("k", body, good, prefix="sha256=")
    assert not webhooks.check_hmac("k", body + b" ", good, prefix="sha256=")
    assert not webhooks.check_hmac("k", body, good[7:], prefix="sha256=")  # prefix missing
    assert not webhooks.check_hmac("", body, "sha256=" + webhooks.digest("", body), prefix="sha256=")
    assert not webhooks.check_hmac("k", body, None)
    b64 = webhooks.digest("k", body, "sha1", "base64")
    assert webhooks.check_hmac("k", body, b64, algorithm="sha1", encoding="base64")
    assert webhooks.same("token", "token") and not webhooks.same("token", "") and not webhooks.same("", "")
