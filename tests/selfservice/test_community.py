"""Community Q&A: first posts moderated, personal data masked, rate limits, accepted and official answers,
a thread turned into an article draft or a private case."""

from __future__ import annotations

import pytest

from anliegen.core.models import Case
from anliegen.core.services.language import mask_personal_data
from anliegen.selfservice.models import Answer, ArticleVersion, Thread
from anliegen.selfservice.services import community
from tests.desk.conftest import client_for


def ask(brand, email="jana@example.org", **kw):
    fields = {"language": "de", "title": "Receiver startet nicht", "body": "Nach dem Update bleibt er schwarz.",
              "name": "Jana", "email": email, "ip": "10.0.0.1"}  # fmt: skip
    return community.check_ask(brand, **(fields | kw))


@pytest.mark.nodb
def test_personal_data_is_masked():
    text, kinds = mask_personal_data(
        "Meine IBAN DE89 3704 0044 0532 0130 00, Tel. +49 40 1234567, jana@example.org, Kundennummer: K-778812"
    )
    assert "3704" not in text and "1234567" not in text and "jana@" not in text and "778812" not in text
    assert "[IBAN]" in text and kinds == ["iban", "email", "phone", "contract"]


def test_a_first_post_waits_for_moderation_then_the_poster_is_known(brand, client):
    first = ask(brand)
    assert first.state == "pending" and "first_post" in first.flags
    assert "Receiver startet nicht" not in client.get("/stadtwerk/community/").content.decode()
    community.do_moderate(first, approve=True)
    assert "Receiver startet nicht" in client.get("/stadtwerk/community/").content.decode()
    assert ask(brand, title="Zweite Frage").state == "published"


def test_a_public_question_with_an_iban_is_masked_and_flagged(brand):
    thread = ask(brand, body="Bitte buchen Sie von DE89370400440532013000 ab, danke.")
    assert "DE89370400440532013000" not in thread.body and "[IBAN]" in thread.body
    assert "iban" in thread.flags


def test_links_and_rate_limits(brand):
    known = ask(brand)
    community.do_moderate(known, approve=True)
    spam = ask(brand, body="http://a.example http://b.example http://c.example")
    assert spam.state == "pending" and "links" in spam.flags
    for _ in range(3):
        ask(brand)
    with pytest.raises(community.CommunityError) as refused:
        ask(brand)
    assert refused.value.status == 429


def test_public_pages_ask_answer_and_official_answers(brand, agents, client):
    response = client.post("/stadtwerk/community/", {"title": "WLAN weg", "body": "Seit gestern kein WLAN.",
                                                       "name": "Jana", "email": "jana@example.org"})  # fmt: skip
    assert response.status_code == 200
    thread = Thread.objects.get(title="WLAN weg")
    community.do_moderate(thread, approve=True)
    client.post(
        f"/stadtwerk/community/{thread.pk}/", {"body": "Router neu starten!", "name": "Uwe", "email": "uwe@example.org"}
    )
    customer = Answer.objects.get(thread=thread)
    assert customer.state == "pending"
    community.do_moderate(customer, approve=True)
    desk = client_for("ben")
    desk.post(f"/desk/community/{thread.pk}/act/", {"action": "answer", "body": "Wir prüfen den Anschluss."})
    official = Answer.objects.get(thread=thread, agent=agents["ben"])
    assert official.official and official.state == "published"
    desk.post(f"/desk/community/{thread.pk}/act/", {"action": "accept", "answer": customer.pk})
    page = client.get(f"/stadtwerk/community/{thread.pk}/").content.decode()
    assert "Router neu starten!" in page and "Wir prüfen den Anschluss." in page
    assert page.index("Router neu starten!") < page.index("Wir prüfen den Anschluss.")  # accepted first


def test_thread_into_article_draft_and_into_private_case(brand, agents):
    thread = ask(brand)
    community.do_moderate(thread, approve=True)
    with pytest.raises(community.CommunityError):
        community.do_to_article(thread, agents["ben"])
    community.check_answer(thread, body="Einmal vom Strom trennen.", agent=agents["ben"])
    version = community.do_to_article(thread, agents["ben"])
    assert version.state == ArticleVersion.State.REVIEW and "Einmal vom Strom trennen." in version.body_html
    case = community.do_to_case(thread, agents["ben"])
    assert case.brand == brand and case.contact.identities.filter(value="jana@example.org").exists()
    assert community.do_to_case(thread, agents["ben"]) == case and Case.objects.count() == 1


def test_desk_moderation_is_brand_scoped(brand, agents, other_brand):
    foreign = ask(other_brand)
    assert (
        client_for("ben").post(f"/desk/community/thread/{foreign.pk}/moderate/", {"decision": "approve"}).status_code
        == 404
    )
    mine = ask(brand)
    client_for("ben").post(f"/desk/community/thread/{mine.pk}/moderate/", {"decision": "approve"})
    mine.refresh_from_db()
    assert mine.state == "published"
