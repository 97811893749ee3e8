"""The desk shows a public post masked, flagged with the kinds of personal data in it; a public reply refused says why."""

from __future__ import annotations

from django.urls import reverse

from anliegen.channels.social.tests.accounts import sign_meta
from anliegen.channels.testing import post_fixture
from anliegen.core.models import Message


def test_public_post_is_masked_and_flagged_in_the_desk(client, meta_accounts, brand):
    post_fixture(client, "facebook", "feed__comment.json", key=brand.slug, sign=sign_meta)
    case = Message.objects.get(direction="in").case
    client.force_login(case.owner.user)
    page = client.get(reverse("desk:case", args=[case.pk])).content.decode()
    masked = page.split('<pre class="body">', 1)[1].split("</pre>", 1)[0]
    assert "[IBAN]" in masked and "DE89" not in masked
    assert "public post" in page and "IBAN" in page.split("personal data:", 1)[1][:80]


def test_an_unsafe_public_reply_from_the_desk_is_refused_with_the_reason(client, meta_accounts, brand):
    post_fixture(client, "facebook", "feed__comment.json", key=brand.slug, sign=sign_meta)
    case = Message.objects.get(direction="in").case
    client.force_login(case.owner.user)
    url = reverse("desk:reply", args=[case.pk])
    refused = client.post(url, {"text": "Ihre IBAN DE89 3704 0044 0532 0130 00 ist korrekt.", "channel": "facebook_page",
                                "next_state": "waiting"})  # fmt: skip
    assert refused.status_code == 422 and "names the person answering" in refused.content.decode()
    first = case.owner.name.split()[0]
    sent = client.post(url, {"text": f"Hallo Petra, hier ist {first}. Wir prüfen das sofort.", "channel": "facebook_page",
                             "next_state": "waiting"})  # fmt: skip
    assert sent.status_code in (200, 302)
    reply = Message.objects.get(direction="out", kind="message")
    assert reply.channel == "facebook_page" and "/continue/" in reply.body_text


def test_a_deleted_tweet_or_comment_leaves_the_case(client, x_account, meta_accounts, brand):
    from anliegen.channels.social.tests.accounts import sign_x

    post_fixture(client, "x", "tweet__mention.json", key=brand.slug, sign=sign_x)
    post_fixture(client, "facebook", "feed__comment.json", key=brand.slug, sign=sign_meta)
    for _ in range(2):  # a repeated deletion changes nothing more
        assert post_fixture(client, "x", "other__tweet_delete.json", key=brand.slug, sign=sign_x).status_code == 200
        assert (
            post_fixture(client, "facebook", "feed__comment_removed.json", key=brand.slug, sign=sign_meta).status_code
            == 200
        )
    tweet = Message.objects.get(external_id="x.tweet.1863001000000000001")
    comment = Message.objects.get(external_id="meta.comment.900100200300_4455667788")
    assert "22529" not in tweet.body_text and "DE89" not in comment.body_text
    assert tweet.case.events.filter(text__contains="deleted public post").exists()
    assert comment.case.events.filter(text__contains="deleted public post").count() == 1
