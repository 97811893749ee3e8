"""Replies on X through the v2 API, against a local stand-in: reply tweets, DMs, retries, refusals, threading."""

from __future__ import annotations

import pytest

from anliegen.channels.social.tests.accounts import sign_x
from anliegen.channels.testing import Answer, Provider, post_fixture
from anliegen.core.models import Message, MessageKind
from anliegen.core.services import outbound

POSTED = {
    "data": {"id": "1863001999999999001", "text": "Hallo Anna", "edit_history_tweet_ids": ["1863001999999999001"]}
}


@pytest.fixture
def api(settings):
    with Provider() as provider:
        settings.X_API_URL = provider.url
        settings.SOCIAL_BACKENDS = {
            "default": "anliegen.channels.social.backends.locmem.LocmemBackend",
            "x": "anliegen.channels.x.api.XApi",
        }
        yield provider


def _mention_case(client, brand, api, tasks):
    """The case of a mention, its public confirmation sent (a reply tweet too) before the test scripts the API."""
    api.on("POST", "/2/tweets", Answer(201, json={"data": {"id": "1863001999999999000", "text": "confirmation"}}))
    post_fixture(client, "x", "tweet__mention.json", key=brand.slug, sign=sign_x)
    tasks()
    confirmation = Message.objects.get(direction="out", kind=MessageKind.CONFIRMATION)
    assert confirmation.delivery == "sent" and confirmation.external_id == "x.tweet.1863001999999999000"
    api.requests.clear()
    return confirmation.case


def _reply(case, text="Hallo Anna, hier ist Lena von Kabelwelle. Wir sehen uns das an."):
    return outbound.new_message(
        case, channel="x", address="2244994945", author=case.owner, kind=MessageKind.MESSAGE, subject="", text=text
    )


def test_public_reply_is_a_reply_tweet_and_the_customers_answer_joins_the_case(client, x_account, brand, api, tasks):
    case = _mention_case(client, brand, api, tasks)
    api.on("POST", "/2/tweets", Answer(201, json=POSTED))
    message = _reply(case)
    tasks()
    [request] = api.received("POST", "/2/tweets")
    assert request.headers["Authorization"] == "Bearer x-user-token"
    assert request.json() == {
        "reply": {"in_reply_to_tweet_id": "1863001000000000001"},
        "text": "Hallo Anna, hier ist Lena von Kabelwelle. Wir sehen uns das an.",
    }
    message.refresh_from_db()
    assert message.delivery == "sent" and message.external_id == "x.tweet.1863001999999999001"
    post_fixture(client, "x", "tweet__reply_to_brand.json", key=brand.slug, sign=sign_x)
    answer = Message.objects.get(external_id="x.tweet.1863001000000000003")
    assert answer.case_id == case.pk


def test_an_outage_of_the_api_is_retried_and_shown_on_the_message(client, x_account, brand, api, tasks):
    case = _mention_case(client, brand, api, tasks)
    api.on(
        "POST",
        "/2/tweets",
        Answer(503, json={"title": "Service Unavailable", "detail": "busy"}),
        Answer(201, json=POSTED),
    )
    message = _reply(case)
    tasks()
    message.refresh_from_db()
    assert message.delivery == "queued" and message.delivery_attempts == 1 and "503" in message.delivery_error
    outbound.deliver.call(message.pk)
    message.refresh_from_db()
    assert message.delivery == "sent" and message.delivery_error == "" and len(api.received("POST", "/2/tweets")) == 2


def test_a_refused_token_fails_the_message_at_once(client, x_account, brand, api, tasks):
    case = _mention_case(client, brand, api, tasks)
    api.on("POST", "/2/tweets", Answer(401, json={"title": "Unauthorized", "detail": "Unauthorized", "status": 401}))
    message = _reply(case)
    tasks()
    message.refresh_from_db()
    assert message.delivery == "failed" and "401" in message.delivery_error
    assert len(api.received("POST", "/2/tweets")) == 1


def test_direct_message_answer_goes_to_the_dm_conversation(client, x_account, brand, api, tasks):
    api.on(
        "POST",
        "/2/dm_conversations/with/2244994945/messages",
        Answer(
            201,
            json={
                "data": {"dm_conversation_id": "1457832567105961987-2244994945", "dm_event_id": "1863002999999999001"}
            },
        ),
    )
    post_fixture(client, "x", "dm__text.json", key=brand.slug, sign=sign_x)
    tasks()
    [request] = api.received("POST")
    assert request.json()["text"].strip() and request.headers["Authorization"] == "Bearer x-user-token"
    confirmation = Message.objects.get(direction="out", kind="confirmation")
    assert confirmation.delivery == "sent" and confirmation.external_id == "x.dm.1863002999999999001"
    assert confirmation.case.owner.name in request.json()["text"]
