"""Who may enter the desk, and brand isolation: every desk URL, filled with brand A's ids, is a 404 for brand B."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse
from django.utils import timezone

from anliegen.base.parsed import ParsedAttachment
from anliegen.channels.email.models import CapturedMail
from anliegen.channels.phone.models import Call
from anliegen.core.models import Attachment, Case, Direction, Escalation, Membership, Message, Presence
from anliegen.core.services.messages import save_attachments
from anliegen.core.setup import create_agent
from anliegen.desk import urls as desk_urls
from anliegen.promises.models import Promise
from tests.conftest import PASSWORD

from .conftest import client_for

PUBLIC = {"login", "logout"}
ROLE_ONLY = {"outbox", "outbox_mail"}


def _flatten(patterns: list, outer: dict | None = None) -> list[tuple[URLPattern, dict]]:
    """Every desk route with all its URL parameters, including routes other modules include into the desk."""
    found = []
    for entry in patterns:
        converters = (outer or {}) | entry.pattern.converters
        if isinstance(entry, URLResolver):
            found += _flatten(entry.url_patterns, converters)
        elif entry.name:
            found.append((entry, converters))
    return found


_ROUTES = _flatten(desk_urls.urlpatterns)


def _patterns() -> list[URLPattern]:
    return [pattern for pattern, _ in _ROUTES]


def _converters(pattern: URLPattern) -> dict:
    return next(converters for p, converters in _ROUTES if p is pattern)


def test_every_desk_page_needs_sign_in(agents):
    client = Client()
    for pattern in _patterns():
        if pattern.name in PUBLIC:
            continue
        url = reverse(f"desk:{pattern.name}", kwargs={k: 1 for k in _converters(pattern)})
        response = client.get(url)
        if response.status_code == 405:  # POST-only actions
            response = client.post(url)
        assert response.status_code == 302, pattern.name
        assert response["Location"].startswith(reverse("desk:login")), pattern.name


def test_login_and_logout(agents):
    client = Client()
    response = client.post(reverse("desk:login"), {"username": "anna", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("desk:inbox")
    assert client.get(reverse("desk:inbox")).status_code == 200
    assert client.get(reverse("desk:logout")).status_code == 405  # logout is a POST
    assert client.post(reverse("desk:logout")).status_code == 302
    assert client.get(reverse("desk:inbox")).status_code == 302
    assert client.post(reverse("desk:login"), {"username": "anna", "password": "wrong"}).status_code == 200


def test_user_without_agent_profile_is_refused(db):
    get_user_model().objects.create_user("otto", password=PASSWORD)
    client = client_for("otto")
    response = client.get(reverse("desk:inbox"))
    assert response.status_code == 403 and "no agent profile" in response.content.decode()


@pytest.fixture
def brand_a_objects(agents, brand, mail_case, tasks, settings):
    """One of everything of brand A, including a kept outgoing mail."""
    settings.EMAIL_BACKEND = "anliegen.channels.email.capture.CaptureBackend"
    case = mail_case(brand, "Geheimer Fall Stadtwerk", owner=agents["anna"], sender="Jana Geheim <jana@example.org>")
    tasks()
    message = Message.objects.get(case=case, direction=Direction.IN)
    save_attachments(message, [ParsedAttachment("geheim.pdf", "application/pdf", b"%PDF secret")])
    failed = Message.objects.filter(case=case, direction=Direction.OUT).first()
    Message.objects.filter(pk=failed.pk).update(delivery=Message.Delivery.FAILED, delivery_error="boom")
    Message.objects.filter(pk=message.pk).update(body_html="<p>geheim</p>")
    promise = Promise.objects.create(
        case=case,
        brand=brand,
        owner=agents["anna"],
        created_by=agents["anna"],
        kind="credit",
        amount_cents=1500,
        text="Gutschrift geheim",
        due_at=timezone.now() + timedelta(days=1),
    )
    escalation = Escalation.objects.create(
        case=case, brand=brand, from_agent=agents["anna"], to_agent=agents["claire"], note="geheim eskaliert"
    )
    call = Call.objects.create(brand=brand, call_id="geheim-1", direction="in", number="+494099990000", message=message)
    from anliegen.channels.chat.models import Conversation

    conversation = Conversation.objects.create(brand=brand, case=case, page_url="https://stadtwerk.example/geheim")
    from anliegen.core.models import Incident
    from anliegen.selfservice.models import Article, ArticleVersion, IncidentProposal, Thread

    article = Article.objects.create(brand=brand, slug="geheim", title="Geheimer Artikel", body_text="geheim")
    version = ArticleVersion.objects.create(article=article, number=1, title="Geheimer Artikel", body_html="geheim")
    thread = Thread.objects.create(brand=brand, title="Geheime Frage", body="geheim", author_name="Jana Geheim")
    incident = Incident.objects.create(brand=brand, title="Geheime Störung", starts_at=timezone.now())
    proposal = IncidentProposal.objects.create(brand=brand, key="word:geheim", words=["geheim"])
    from anliegen.integrations.models import WebhookDelivery, WebhookEndpoint

    endpoint = WebhookEndpoint.objects.create(brand=brand, url="https://geheim.example/hook", secret="geheim")
    delivery = WebhookDelivery.objects.create(endpoint=endpoint, brand=brand, event="case.created", payload={})
    from anliegen.csat.models import FollowUp, Survey

    survey = Survey.objects.create(
        case=case, brand=brand, agent=agents["anna"], channel="email", asked_at=timezone.now()
    )
    follow_up = FollowUp.objects.create(survey=survey, brand=brand, supervisor=agents["claire"])
    from anliegen.workday.models import CaseTag, Macro, SavedView, Tag

    tag = Tag.objects.create(brand=brand, name="geheim-tag")
    CaseTag.objects.create(case=case, tag=tag)
    macro = Macro.objects.create(brand=brand, name="Geheimer Baustein", body="geheim {customer}", set_state="waiting")
    shared_view = SavedView.objects.create(brand=brand, name="Geheime Ansicht", filters={"tag": tag.pk})
    return {
        "view_id": shared_view.pk,
        "macro_id": macro.pk,
        "delivery_id": delivery.pk,
        "article_id": article.pk,
        "version_id": version.pk,
        "thread_id": thread.pk,
        "post_id": thread.pk,
        "kind": "thread",
        "incident_id": incident.pk,
        "proposal_id": proposal.pk,
        "case_id": case.pk,
        "call_id": call.pk,
        "conversation_id": conversation.pk,
        "message_id": message.pk,
        "attachment_id": Attachment.objects.get(message=message).pk,
        "contact_id": case.contact_id,
        "mail_id": CapturedMail.objects.get().pk,
        "brand": brand.pk,
        "brand_id": brand.pk,
        "follow_up_id": follow_up.pk,
        "channel": "whatsapp",
        "failed_id": failed.pk,
        "identity_id": case.contact.identities.first().pk,
        "promise_id": promise.pk,
        "escalation_id": escalation.pk,
        "agent_id": agents["anna"].pk,
        # Word parameters: a real verb each, so the view gets as far as its scope check.
        "action": "keep",
        "step": "send",
    }


SECRETS = ("Geheimer Fall", "Jana Geheim", "jana@example.org", "%PDF secret", "geheim", "Gutschrift")


def _walk(client: Client, objects: dict) -> dict[str, int]:
    statuses = {}
    for pattern in _patterns():
        if pattern.name in PUBLIC:
            continue
        unknown = set(_converters(pattern)) - set(objects)
        if unknown:
            pytest.fail(f"desk:{pattern.name} takes {unknown}: add a brand A object for it to brand_a_objects")
        kwargs = {name: objects[name] for name in _converters(pattern)}
        url = reverse(f"desk:{pattern.name}", kwargs=kwargs)
        response = client.get(url, {"brand": objects["brand"]} if not kwargs else {})
        if response.status_code == 405:
            retry = {"message_id": objects["failed_id"]} if pattern.name == "retry" else kwargs
            url = reverse(f"desk:{pattern.name}", kwargs=retry)
            response = client.post(url, {"text": "x", "state": "solved", "note": "x", "presence": "away"})
        content = b"".join(response.streaming_content) if response.streaming else response.content
        for secret in SECRETS:
            assert secret.encode() not in content, (pattern.name, secret)
        statuses[pattern.name] = response.status_code
    return statuses


def _cross_agent_ties(brand_a_objects: dict, agents: dict, dora: object) -> None:
    """Ties between agents that cross brands: brand A's owner names brand B's Dora as deputy and goes on
    leave; a promise and an escalation of brand A name Dora (she was moved out of brand A since)."""
    anna = agents["anna"]
    anna.deputy, anna.on_leave = dora, True
    anna.save(update_fields=["deputy", "on_leave"])
    Promise.objects.filter(pk=brand_a_objects["promise_id"]).update(owner=dora)
    Escalation.objects.filter(pk=brand_a_objects["escalation_id"]).update(to_agent=dora)


def test_every_desk_url_of_brand_a_is_404_for_brand_b(brand_a_objects, agents, other_brand, dora_client):
    _cross_agent_ties(brand_a_objects, agents, other_brand.default_owner)
    statuses = _walk(dora_client, brand_a_objects)
    with_ids = {p.name for p in _patterns() if _converters(p)}
    assert with_ids, "the walk must cover pages with ids"
    for name in with_ids - ROLE_ONLY:
        assert statuses[name] == 404, (name, statuses[name])
    for name in ROLE_ONLY:
        assert statuses[name] == 403, (name, statuses[name])
    assert statuses["queue"] == 404  # ?brand=<A> is another brand's queue
    assert statuses["inbox"] == 200 and statuses["presence"] == 302  # her own pages, without A's data
    # Nothing of brand A changed either.
    assert Message.objects.get(pk=brand_a_objects["failed_id"]).delivery == Message.Delivery.FAILED
    case = Case.objects.get(pk=brand_a_objects["case_id"])
    assert case.state == "open" and case.owner.mailbox == "anna"
    assert Message.objects.filter(case=case).count() == 2


def test_supervisor_of_brand_b_gets_404_for_brand_a_mail(brand_a_objects, other_brand):
    create_agent(other_brand, "erik", "Erik Berg", PASSWORD, role=Membership.Role.SUPERVISOR)
    statuses = _walk(client_for("erik"), brand_a_objects)
    assert statuses["outbox"] == 200 and statuses["outbox_mail"] == 404


def test_same_walk_as_brand_a_agent_sees_the_data(brand_a_objects, agents):
    """The walk above proves isolation only if the same URLs do show data to brand A's own supervisor."""
    client = client_for("claire")
    assert "Geheimer Fall" in client.get(reverse("desk:case", args=[brand_a_objects["case_id"]])).content.decode()
    outbox_mail = client.get(reverse("desk:outbox_mail", args=[brand_a_objects["mail_id"]]))
    assert outbox_mail.status_code == 200 and "jana@example.org" in outbox_mail.content.decode()


def test_presence_toggle(agents, anna_client):
    response = anna_client.post(reverse("desk:presence"), {"presence": "away", "next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("desk:inbox")
    agents["anna"].refresh_from_db()
    assert agents["anna"].presence == Presence.AWAY
    assert anna_client.post(reverse("desk:presence"), {"presence": "asleep"}).status_code == 400
    response = anna_client.post(reverse("desk:presence"), {"presence": "offline"}, headers={"HX-Request": "true"})
    assert response.status_code == 204
    agents["anna"].refresh_from_db()
    assert agents["anna"].presence == Presence.OFFLINE


def test_a_brand_taken_away_is_gone_on_the_next_request(agents, brand, mail_case):
    case = mail_case(brand, "Zählerstand", owner=agents["anna"])
    anna = client_for("anna")
    assert anna.get(reverse("desk:case", args=[case.pk])).status_code == 200
    Membership.objects.filter(agent=agents["anna"], brand=brand).delete()
    assert anna.get(reverse("desk:case", args=[case.pk])).status_code == 404
