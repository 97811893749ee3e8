"""Incident updates and tips posted on the brand's X account and Facebook page; replies threaded to the incident."""

from __future__ import annotations

import json

import pytest

from anliegen.channels.social import proactive
from anliegen.channels.social.models import PublicPost
from anliegen.channels.social.tests.accounts import PAGE, sign_meta, sign_x
from anliegen.channels.testing import Answer, Provider, fixture_dir
from anliegen.core.models import Message
from anliegen.selfservice.services import incidents

TWEET = "1863009000000000001"
FB_POST = f"{PAGE}_900100200300"  # the post feed__comment.json comments on


@pytest.fixture
def api(settings, x_account, meta_accounts):
    with Provider() as provider:
        settings.X_API_URL = provider.url
        settings.META_GRAPH_URL = f"{provider.url}/v21.0"
        settings.SOCIAL_BACKENDS = {
            "default": "anliegen.channels.social.backends.locmem.LocmemBackend",
            "x": "anliegen.channels.x.api.XApi",
            "facebook": "anliegen.channels.meta.api.GraphApi",
        }
        provider.on("POST", "/2/tweets", Answer(201, json={"data": {"id": TWEET, "text": "…"}}))
        provider.on("POST", f"/v21.0/{PAGE}/feed", Answer(json={"id": FB_POST}))
        yield provider


def _open(brand, agents):
    return incidents.do_open(
        brand, agents["anna"], title="TV-Störung Hamburg-West",
        description="Kein Fernsehsignal in Teilen von Eimsbüttel und Lokstedt. Techniker sind vor Ort.",
        areas=["22525", "22527", "22529"], keywords=["kein signal"],
    )  # fmt: skip


def test_an_incident_is_posted_on_x_and_the_page_with_the_ids_kept(client, brand, agents, api, tasks):
    incident = _open(brand, agents)
    tasks()
    posts = {p.account.provider: p for p in PublicPost.objects.select_related("account")}
    assert set(posts) == {"x", "facebook"}
    assert posts["x"].external_id == f"x.tweet.{TWEET}" and posts["x"].state == "posted"
    assert posts["facebook"].external_id == f"meta.post.{FB_POST}"
    [tweet] = api.received("POST", "/2/tweets")
    body = tweet.json()
    assert "reply" not in body and "TV-Störung Hamburg-West" in body["text"] and "/status/" in body["text"]
    assert tweet.headers["Authorization"] == "Bearer x-user-token"
    assert api.received("POST", f"/v21.0/{PAGE}/feed")[0].json()["message"].startswith("Bekannte Störung: TV-Störung")
    incidents.do_update(incident, agents["anna"], "Ein Verstärker wird getauscht, Ende gegen 23 Uhr. " * 8)
    tasks()
    latest = PublicPost.objects.filter(account__provider="x").order_by("-id").first()
    assert latest.update.kind == "update" and latest.text.endswith(f"/{brand.slug}/status/")
    assert len(latest.text) - len(latest.text.split()[-1]) + 23 <= 280  # X counts the link as 23
    assert PublicPost.objects.count() == 4


def test_replies_to_the_posts_are_linked_to_the_incident(client, brand, agents, api, tasks):
    incident = _open(brand, agents)
    tasks()
    reply = json.loads((fixture_dir("x") / "tweet__reply_to_brand.json").read_text())
    event = reply["tweet_create_events"][0]
    event["in_reply_to_status_id_str"], event["text"] = TWEET, "@kabelwelle_hilft bei mir in 20255 auch!"
    body = json.dumps(reply).encode()
    answer = client.post(f"/hooks/x/{brand.slug}/", data=body, content_type="application/json", headers=sign_x(body))
    assert answer.status_code == 200
    assert Message.objects.get(direction="in", channel="x").case.incident == incident
    body = (fixture_dir("facebook") / "feed__comment.json").read_bytes()
    client.post(f"/hooks/facebook/{brand.slug}/", data=body, content_type="application/json", headers=sign_meta(body))
    assert Message.objects.get(direction="in", channel="facebook_page").case.incident == incident


def test_an_api_outage_retries_the_post_and_a_refusal_fails_it(client, brand, agents, api, tasks):
    api.on(
        "POST",
        "/2/tweets",
        Answer(503, json={"title": "Service Unavailable"}),
        Answer(201, json={"data": {"id": TWEET}}),
    )
    api.on(
        "POST", f"/v21.0/{PAGE}/feed", Answer(403, json={"error": {"message": "(#200) Permissions error", "code": 200}})
    )
    _open(brand, agents)
    tasks()
    x, fb = (PublicPost.objects.get(account__provider=p) for p in ("x", "facebook"))
    assert x.state == "queued" and x.attempts == 1 and "503" in x.error
    assert fb.state == "failed" and "Permissions error" in fb.error
    proactive.post_now.call(x.pk)
    x.refresh_from_db()
    assert x.state == "posted" and x.external_id == f"x.tweet.{TWEET}"


def test_a_tip_is_posted_and_an_internal_incident_is_not(client, brand, agents, api, tasks):
    [tip_x, tip_fb] = proactive.publish_tip(
        brand, "Tipp: Receiver neu starten hilft bei Bildaussetzern.", "http://testserver/kabel/help/"
    )
    tasks()
    tip_x.refresh_from_db()
    assert tip_x.state == "posted" and tip_x.incident is None and tip_x.kind == "tip"
    internal = _open(brand, agents)
    internal.public = False
    internal.save()
    incidents.do_update(internal, agents["anna"], "intern: Ursache gefunden")
    tasks()
    assert PublicPost.objects.filter(update__text="intern: Ursache gefunden").count() == 0
