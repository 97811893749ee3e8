"""Replies through the Graph API, against a local stand-in: Messenger, Instagram, comment replies, refusals."""

from __future__ import annotations

import pytest

from anliegen.channels.social.tests.accounts import INSTAGRAM, PAGE, sign_meta
from anliegen.channels.testing import Answer, Provider, post_fixture
from anliegen.core.models import Message, MessageKind
from anliegen.core.services import outbound


@pytest.fixture
def graph(settings):
    with Provider() as provider:
        settings.META_GRAPH_URL = f"{provider.url}/v21.0"
        settings.SOCIAL_BACKENDS = {"default": "anliegen.channels.meta.api.GraphApi"}
        yield provider


def test_messenger_confirmation_goes_through_the_send_api(client, meta_accounts, brand, graph, tasks):
    graph.on(
        "POST",
        f"/v21.0/{PAGE}/messages",
        Answer(json={"recipient_id": "6543210987654321", "message_id": "m_sent_0001"}),
    )
    post_fixture(client, "facebook", "messenger__text.json", key=brand.slug, sign=sign_meta)
    tasks()
    [request] = graph.received("POST")
    body = request.json()
    assert body["recipient"] == {"id": "6543210987654321"} and body["messaging_type"] == "RESPONSE"
    assert request.headers["Authorization"] == "Bearer page-token"
    confirmation = Message.objects.get(kind="confirmation")
    assert confirmation.case.owner.name in body["message"]["text"]
    assert (confirmation.delivery, confirmation.external_id) == ("sent", "meta.m_sent_0001")


def test_instagram_answer_goes_from_the_instagram_account(client, meta_accounts, brand, graph, tasks):
    graph.on(
        "POST",
        f"/v21.0/{INSTAGRAM}/messages",
        Answer(json={"recipient_id": "1122334455667788", "message_id": "aWdf_sent"}),
    )
    post_fixture(client, "facebook", "instagram__text.json", key=brand.slug, sign=sign_meta)
    tasks()
    assert graph.received("POST")[0].json()["recipient"] == {"id": "1122334455667788"}
    assert Message.objects.get(kind="confirmation").external_id == "meta.aWdf_sent"


def test_comment_reply_answers_under_the_comment_and_the_answer_to_it_joins_the_case(
    client, meta_accounts, brand, graph, tasks
):
    graph.on("POST", "/v21.0/900100200300_4455667788/comments", Answer(json={"id": "900100200300_5566770000"}))
    post_fixture(client, "facebook", "feed__comment.json", key=brand.slug, sign=sign_meta)
    tasks()  # the public confirmation: a comment reply too
    assert Message.objects.get(kind=MessageKind.CONFIRMATION).external_id == "meta.comment.900100200300_5566770000"
    graph.requests.clear()
    graph.on("POST", "/v21.0/900100200300_4455667788/comments", Answer(json={"id": "900100200300_5566778800"}))
    case = Message.objects.get(direction="in").case
    reply = outbound.new_message(
        case,
        channel="facebook_page",
        address="7788990011223344",
        author=case.owner,
        kind=MessageKind.MESSAGE,
        subject="",
        text="Hallo Petra, hier ist Anna.",
    )
    tasks()
    [request] = graph.received("POST")
    assert request.json() == {"message": "Hallo Petra, hier ist Anna."}
    reply.refresh_from_db()
    assert (reply.delivery, reply.external_id) == ("sent", "meta.comment.900100200300_5566778800")
    post_fixture(client, "facebook", "feed__comment_reply.json", key=brand.slug, sign=sign_meta)
    assert Message.objects.get(external_id="meta.comment.900100200300_4455667799").case_id == case.pk


def test_graph_errors_retry_when_temporary_and_fail_when_permanent(client, meta_accounts, brand, graph, tasks):
    graph.on(
        "POST",
        f"/v21.0/{PAGE}/messages",
        Answer(500, json={"error": {"message": "An unexpected error has occurred.", "code": 2, "is_transient": True}}),
        Answer(400, json={"error": {"message": "(#551) This person isn't available right now.", "code": 551}}),
    )
    post_fixture(client, "facebook", "messenger__text.json", key=brand.slug, sign=sign_meta)
    tasks()
    confirmation = Message.objects.get(kind="confirmation")
    assert confirmation.delivery == "queued" and "unexpected error" in confirmation.delivery_error
    outbound.deliver.call(confirmation.pk)
    confirmation.refresh_from_db()
    assert confirmation.delivery == "failed" and "551" in confirmation.delivery_error
