"""WhatsApp out: replies within the 24 hours, templates after them, an outage retried, a refusal failed at once."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from anliegen.channels.messaging import health
from anliegen.channels.testing import Answer
from anliegen.channels.whatsapp.models import Template, TemplateSend
from anliegen.core.models import Case, Message, MessageKind
from anliegen.core.services import outbound
from anliegen.core.services.cases import CaseError, do_reply

from .conftest import CUSTOMER, NUMBER_ID, WAMID_OUT, sent


@pytest.fixture
def case(post, graph, tasks):
    assert post("message__1_text.json").status_code == 200
    tasks()
    graph.requests.clear()
    return Case.objects.get()


def age(case: Case, hours: float) -> None:
    Message.objects.filter(case=case, direction="in").update(created_at=timezone.now() - timedelta(hours=hours))


def test_a_reply_within_the_24_hours_goes_as_text_and_keeps_the_wamid(case, graph, tasks):
    graph.on("POST", f"/v21.0/{NUMBER_ID}/messages", Answer(json=sent("wamid.reply-1")))
    age(case, 23)
    reply = do_reply(case, case.owner, "Ich habe den Zählerstand korrigiert, die neue Rechnung kommt per Post.")
    assert (reply.channel, reply.address) == ("whatsapp", CUSTOMER)
    tasks()
    [request] = graph.received("POST")
    assert request.json()["text"]["body"].startswith("Ich habe den Zählerstand korrigiert")
    reply.refresh_from_db()
    assert (reply.delivery, reply.external_id) == (Message.Delivery.SENT, "wamid.reply-1")


def test_after_the_24_hours_the_desk_says_so_and_sends_an_approved_template(client, case, graph, tasks):
    age(case, 25)
    with pytest.raises(CaseError, match="24 hours"):
        do_reply(case, case.owner, "Hallo?")
    Template.objects.create(brand=case.brand, name="old_draft", language="de", body="Entwurf", approved=False)
    template = Template.objects.create(
        brand=case.brand,
        name="case_update",
        language="de",
        body="Hallo {{1}}, hier ist {{2}} zu Ihrem Anliegen. Bitte antworten Sie auf diese Nachricht.",
    )
    client.force_login(case.owner.user)
    page = client.get(f"/desk/cases/{case.pk}/", headers={"Accept-Language": "en"}).content.decode()
    assert "the 24 hours ended" in page and "case_update" in page and "old_draft" not in page
    assert 'value="Jana Peters"' in page and 'value="Anna Schmidt"' in page
    refused = client.post(
        f"/desk/cases/{case.pk}/reply/", {"text": "Hallo?", "channel": "whatsapp", "next_state": "waiting"}
    )
    assert refused.status_code == 422 and "24 hours" in refused.content.decode()
    response = client.post(
        f"/desk/whatsapp/cases/{case.pk}/template/",
        {"template": template.pk, "parameter": ["Jana Peters", "Anna Schmidt"]},
    )
    assert response.status_code == 302
    message = Message.objects.get(case=case, whatsapp_template__isnull=False)
    assert message.body_text.startswith("Hallo Jana Peters, hier ist Anna Schmidt")
    tasks()
    [request] = graph.received("POST")
    body = request.json()
    assert body["type"] == "template" and body["template"]["name"] == "case_update"
    assert body["template"]["language"] == {"code": "de"}
    assert [p["text"] for p in body["template"]["components"][0]["parameters"]] == ["Jana Peters", "Anna Schmidt"]
    message.refresh_from_db()
    assert message.delivery == Message.Delivery.SENT


def test_a_template_needs_every_value_and_free_text_queued_before_the_window_closed_is_not_sent(case, graph, tasks):
    template = Template.objects.create(brand=case.brand, name="case_update", language="de", body="Hallo {{1}}")
    from anliegen.channels.whatsapp.templates import send_template

    with pytest.raises(CaseError):
        send_template(case, case.owner, template, [" "])
    assert not TemplateSend.objects.exists()
    reply = do_reply(case, case.owner, "Noch in der Zeit geschrieben")
    age(case, 30)  # the worker reaches it after the window closed: Meta would refuse it
    tasks()
    reply.refresh_from_db()
    assert reply.delivery == Message.Delivery.FAILED and "24-hour window" in reply.delivery_error
    assert graph.received("POST") == []


def test_an_outage_queues_the_reply_retries_it_and_shows_why(client, case, graph, tasks):
    graph.on(
        "POST",
        f"/v21.0/{NUMBER_ID}/messages",
        Answer(503, json={"error": {"message": "Service temporarily unavailable", "code": 2}}),
        Answer(drop=True),
        Answer(json=sent("wamid.after-outage")),
    )
    reply = do_reply(case, case.owner, "Wir melden uns morgen.")
    tasks()
    reply.refresh_from_db()
    assert reply.delivery == Message.Delivery.QUEUED and reply.delivery_attempts == 1
    assert "HTTP 503: Service temporarily unavailable" in reply.delivery_error
    client.force_login(case.owner.user)
    page = client.get(f"/desk/cases/{case.pk}/", headers={"Accept-Language": "en"}).content.decode()
    assert "attempt 1 failed, retrying" in page and "Service temporarily unavailable" in page
    [row] = [h for h in health.snapshot(case.brand) if h.channel == "whatsapp"]
    assert row.queued == 1 and "503" in row.last_error
    outbound.deliver.call(reply.pk)  # the retry, when it is due
    reply.refresh_from_db()
    assert reply.delivery == Message.Delivery.QUEUED and "cannot be reached" in reply.delivery_error
    outbound.deliver.call(reply.pk)
    reply.refresh_from_db()
    assert (reply.delivery, reply.external_id, reply.delivery_attempts) == (
        Message.Delivery.SENT,
        "wamid.after-outage",
        3,
    )
    assert len(graph.received("POST")) == 3


def test_a_refusal_fails_at_once(case, graph, tasks):
    graph.on(
        "POST",
        f"/v21.0/{NUMBER_ID}/messages",
        Answer(
            400, json={"error": {"message": "(#131030) Recipient phone number not in allowed list", "code": 131030}}
        ),
    )
    reply = do_reply(case, case.owner, "Hallo")
    tasks()
    reply.refresh_from_db()
    assert reply.delivery == Message.Delivery.FAILED and "131030" in reply.delivery_error
    assert reply.delivery_attempts == 1


def test_the_credentials_check_asks_the_graph_api_for_the_number(case, graph):
    graph.on(
        "GET",
        f"/v21.0/{NUMBER_ID}",
        Answer(json={"verified_name": "Stadtwerk Nord", "display_phone_number": "+49 40 555010", "id": NUMBER_ID}),
    )
    result = health.check(case.brand, "whatsapp")
    assert result.ok and result.detail == "Stadtwerk Nord · +49 40 555010"
    [request] = graph.received("GET", f"/v21.0/{NUMBER_ID}")
    assert request.query["fields"] == ["verified_name,display_phone_number"]
    graph.on(
        "GET",
        f"/v21.0/{NUMBER_ID}",
        Answer(401, json={"error": {"message": "Invalid OAuth access token", "code": 190}}),
    )
    refused = health.check(case.brand, "whatsapp")
    assert not refused.ok and "Invalid OAuth access token" in refused.detail


def test_the_confirmation_is_one_short_paragraph(case):
    confirmation = Message.objects.get(case=case, kind=MessageKind.CONFIRMATION)
    assert confirmation.external_id == WAMID_OUT
    text = confirmation.body_text
    assert text.startswith("Guten Tag Jana Peters, danke.") and "Anna Schmidt" in text
    assert "Durchwahl 201" in text and "Antwort spätestens bis" in text and len(text) < 500


def test_opening_a_private_whatsapp_conversation_outside_the_window_sends_the_template(case, graph, tasks):
    from anliegen.channels.private.send import open_private, send_private, start_link

    age(case, 48)
    with pytest.raises(CaseError, match="24 hours"):
        send_private(case, case.owner, "whatsapp", "Hallo")
    with pytest.raises(CaseError, match="no approved WhatsApp template"):
        open_private(case, case.owner, "whatsapp", "Hallo")
    Template.objects.create(brand=case.brand, name="case_update", language="de", body="Hallo {{1}}, hier ist {{2}}.")
    message = open_private(case, case.owner, "whatsapp", "Hallo")
    assert message.body_text == "Hallo Jana Peters, hier ist Anna Schmidt."
    tasks()
    assert graph.received("POST")[0].json()["type"] == "template"
    assert start_link(case.brand, "whatsapp") == "https://wa.me/4940555010"
    age(case, 1)
    assert open_private(case, case.owner, "whatsapp", "Hallo wieder").body_text == "Hallo wieder"
