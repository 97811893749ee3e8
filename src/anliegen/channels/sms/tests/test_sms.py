"""SMS through a Twilio-compatible API: signed forms in, status callbacks, long texts in segments, outages."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from anliegen.base.sms.transport import get_backend
from anliegen.channels.messaging import health
from anliegen.channels.messaging.models import Receipt
from anliegen.channels.sms import segments
from anliegen.channels.sms.models import SmsNumber
from anliegen.channels.testing import Answer, Provider, fixture_dir, webhook_url
from anliegen.channels.webhooks import twilio_signature
from anliegen.core.models import Case, Contact, Identity, Message, MessageKind
from anliegen.core.services import outbound
from anliegen.core.services.cases import do_reply
from anliegen.intake.models import Inbound, InboundState

ACCOUNT = "AC9f3c1e0b2d4a6f8e0c2b4d6f8a0c2e4b"
TOKEN = "twilio-auth-token-1"
CUSTOMER = "+4915112345678"
MESSAGES = f"/2010-04-01/Accounts/{ACCOUNT}/Messages.json"


def created(sid: str, segments: str = "1") -> Answer:
    return Answer(201, json={"sid": sid, "status": "queued", "num_segments": segments, "account_sid": ACCOUNT})


@pytest.fixture
def api(settings):
    with Provider() as provider:
        settings.TWILIO_API_URL = provider.url
        settings.SMS_BACKEND = "anliegen.channels.sms.twilio.TwilioBackend"
        provider.on("POST", MESSAGES, created("SMOUTGOING"))
        yield provider


@pytest.fixture
def number(brand, agents):
    return SmsNumber.objects.create(brand=brand, number="+4940555020", account_sid=ACCOUNT, auth_token=TOKEN)


@pytest.fixture
def post(client, brand, number, api):
    def post(name: str, token: str = TOKEN, key: str = "", replace: dict | None = None):
        body = (fixture_dir("sms") / name).read_text().replace("MEDIA_URL", f"{api.url}/media/ME1")
        for old, new in (replace or {}).items():
            body = body.replace(old, new)
        url = webhook_url("sms", key or brand.slug)
        params = parse_qs(body, keep_blank_values=True)
        signature = twilio_signature(token, f"http://testserver{url}", params)
        return client.post(
            url, data=body, content_type="application/x-www-form-urlencoded", headers={"X-Twilio-Signature": signature}
        )

    return post


def test_a_text_becomes_a_case_confirmed_by_sms_from_the_brands_number(settings, post, api, brand, tasks):
    response = post("inbound__1_text.form")
    assert response.status_code == 200 and response["Content-Type"] == "text/xml"
    assert b"<Response></Response>" in response.content
    assert post("inbound__1_text.form").status_code == 200  # a repeat
    assert Inbound.objects.filter(channel="sms").count() == 1
    case = Case.objects.get()
    assert list(case.contact.identities.values_list("kind", "value")) == [("phone", CUSTOMER)]
    assert "1ESY1160612345" in case.messages.get(direction="in").body_text
    confirmation = Message.objects.get(case=case, kind=MessageKind.CONFIRMATION)
    assert (confirmation.channel, confirmation.address) == ("sms", CUSTOMER)
    assert case.owner.name in confirmation.body_text and "201" in confirmation.body_text
    assert len(confirmation.body_text) <= 306 and segments.count(confirmation.body_text) <= 2
    tasks()
    [request] = api.received("POST", MESSAGES)
    assert request.headers["Authorization"].startswith("Basic ")
    form = request.form()
    assert (form["To"], form["From"], form["Body"]) == ([CUSTOMER], ["+4940555020"], [confirmation.body_text])
    assert form["StatusCallback"] == [f"{settings.BASE_URL}/hooks/sms/{brand.slug}/"]
    confirmation.refresh_from_db()
    assert (confirmation.delivery, confirmation.external_id) == (Message.Delivery.SENT, "SMOUTGOING")
    accepted = confirmation.receipts.get(status="accepted")
    assert (
        accepted.detail == f"{segments.count(confirmation.body_text)} SMS ({segments.encoding(confirmation.body_text)})"
    )


def test_status_callbacks_are_receipts_and_undelivered_fails_the_message(post, api, tasks):
    post("inbound__1_text.form")
    tasks()
    for name in ("status__1_sent.form", "status__2_delivered.form", "status__2_delivered.form"):
        assert post(name).status_code == 200
    confirmation = Message.objects.get(kind=MessageKind.CONFIRMATION)
    assert sorted(confirmation.receipts.values_list("status", flat=True)) == ["accepted", "delivered", "sent"]
    assert post("status__3_undelivered.form").status_code == 200
    confirmation.refresh_from_db()
    assert confirmation.delivery == Message.Delivery.FAILED and "30003" in confirmation.delivery_error
    assert Inbound.objects.filter(channel="sms", state=InboundState.DISCARDED).count() == 3


def test_a_long_reply_goes_as_one_message_in_segments(post, api, tasks):
    post("inbound__2_long.form")
    tasks()
    case = Case.objects.get()
    text = "Guten Tag, " + "wir schicken morgen frueh einen Techniker zu Ihnen, bitte halten Sie den Zaehler frei. " * 4
    api.on("POST", MESSAGES, created("SMLONG", "3"))
    reply = do_reply(case, case.owner, text.strip())
    tasks()
    [request] = [r for r in api.received("POST", MESSAGES) if r.form()["Body"] == [reply.body_text]]
    assert len(reply.body_text) > 306
    reply.refresh_from_db()
    assert reply.external_id == "SMLONG"
    assert reply.receipts.get(status="accepted").detail == "3 SMS (GSM-7)"


def test_segments():
    assert (segments.count("a" * 160), segments.count("a" * 161), segments.count("a" * 306)) == (1, 2, 2)
    assert segments.count("a" * 307) == 3
    assert segments.units("Preis 10€") == 10 and segments.encoding("Zähler öffnen") == "GSM-7"
    assert segments.encoding("Anliegen „Zähler“") == "UCS-2"
    assert (segments.count("„" * 70), segments.count("„" * 71), segments.count("„" * 134)) == (1, 2, 2)
    assert segments.count("😀" * 35) == 1 and segments.count("😀" * 36) == 2  # two UTF-16 units each


def test_mms_media_is_fetched_with_the_accounts_credentials(post, api):
    api.on("GET", "/media/ME1", Answer(body=b"\xff\xd8meter", content_type="image/jpeg"))
    assert post("inbound__3_mms.form").status_code == 200
    message = Message.objects.get(direction="in")
    attachment = message.attachments.get()
    assert (attachment.filename, attachment.file.read()) == ("mms-1.jpeg", b"\xff\xd8meter")
    [request] = api.received("GET", "/media/ME1")
    assert request.headers["Authorization"].startswith("Basic ")


def test_a_known_number_joins_its_contact(post, api, brand):
    known = Contact.objects.create(brand=brand, name="Petra Lange")
    Identity.objects.create(contact=known, brand=brand, kind="phone", value=CUSTOMER, verified=True)
    post("inbound__1_text.form")
    assert Case.objects.get().contact_id == known.pk


def test_bad_input(client, post, brand, api, caplog):
    assert post("inbound__1_text.form", token="wrong").status_code == 403
    assert "bad signature" in caplog.text
    assert post("inbound__1_text.form", key="no-brand").status_code == 404
    assert post("inbound__1_text.form", replace={"To=%2B4940555020": "To=%2B4940999999"}).status_code == 404
    assert post("inbound__1_text.form", replace={ACCOUNT: "ACother"}).status_code == 404
    assert post("inbound__1_text.form", replace={"MessageSid=SM1f0e": "X=", "SmsSid=SM1f0e": "Y="}).status_code == 400
    unsigned = client.post(
        webhook_url("sms", brand.slug), data='{"To": "+4940555020"}', content_type="application/json"
    )
    assert unsigned.status_code in (400, 403, 404) and unsigned.status_code != 500
    assert not Inbound.objects.exists()


def test_an_outage_is_retried_and_a_refused_number_fails_at_once(post, api, tasks):
    api.on("POST", MESSAGES, Answer(503, json={"code": 20500, "message": "Service unavailable"}), created("SMRETRY"))
    post("inbound__1_text.form")
    tasks()
    confirmation = Message.objects.get(kind=MessageKind.CONFIRMATION)
    assert confirmation.delivery == Message.Delivery.QUEUED and "Service unavailable" in confirmation.delivery_error
    outbound.deliver.call(confirmation.pk)
    confirmation.refresh_from_db()
    assert (confirmation.delivery, confirmation.external_id) == (Message.Delivery.SENT, "SMRETRY")
    api.on(
        "POST", MESSAGES, Answer(400, json={"code": 21211, "message": "The 'To' number is not a valid phone number."})
    )
    reply = do_reply(confirmation.case, confirmation.case.owner, "Hallo")
    tasks()
    reply.refresh_from_db()
    assert "not a valid phone number" in reply.delivery_error
    assert reply.delivery == Message.Delivery.FAILED and reply.delivery_attempts == 1


def test_verification_codes_use_the_same_transport_and_the_account_is_checked(settings, brand, number, api):
    settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN = ACCOUNT, TOKEN
    assert get_backend().send(CUSTOMER, "Ihr Code: 482913", sender="Stadtwerk N") == "SMOUTGOING"
    [request] = api.received("POST", MESSAGES)
    assert request.form()["From"] == ["Stadtwerk N"] and "StatusCallback" not in request.form()
    api.on(
        "GET",
        f"/2010-04-01/Accounts/{ACCOUNT}.json",
        Answer(json={"friendly_name": "Stadtwerk Nord", "status": "active", "sid": ACCOUNT}),
    )
    assert health.check(brand, "sms").detail == "Stadtwerk Nord (active) · +4940555020"
    assert Receipt.objects.count() == 0
