"""The customer's case page: what it shows, what it hides, replies into the same case, bad and old links."""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from django.core import signing
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from anliegen.core import case_links as links
from anliegen.core.models import Attachment, Case, CaseState, Direction, Message, MessageKind
from anliegen.core.services import cases
from anliegen.intake.models import Inbound, InboundState
from anliegen.promises.models import Promise

from .conftest import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(client, brand, agents) -> Case:
    assert client.post("/stadtwerk/contact/", form_data()).status_code == 302
    return Case.objects.select_related("owner", "brand").get()


def page_of(case: Case) -> str:
    return reverse("portal:case", args=[links.case_token(case)])


def test_case_page_shows_owner_conversation_and_state(client, case, agents):
    cases.do_reply(case, agents["anna"], "Wir schicken morgen einen Techniker vorbei.")
    response = client.get(page_of(case))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stadtwerk Nord" in html and "Fernseher schwarz" in html
    assert "Anna Schmidt" in html and "+49 40 123456, extension 201" in html
    assert case.owner.reply_address(case.brand, case.reply_token) in html
    assert "Seit heute Abend ist mein Fernseher schwarz" in html  # the customer's own message
    assert "I am Anna Schmidt and I am looking after your request" in html  # the confirmation
    assert "Wir schicken morgen einen Techniker vorbei." in html
    assert "waiting for customer" in html  # the reply set the state
    assert response["Referrer-Policy"] == "same-origin" and "no-store" in response["Cache-Control"]


def test_case_page_hides_internal_notes_and_automatic_mail(client, case, agents):
    cases.do_note(case, agents["anna"], "Kunde ist schwierig, intern bleiben")
    Message.objects.create(
        case=case,
        brand=case.brand,
        channel="email",
        direction=Direction.IN,
        kind=MessageKind.AUTOMATIC,
        body_text="Ich bin im Urlaub (Abwesenheitsnotiz)",
    )
    html = client.get(page_of(case)).content.decode()
    assert "intern bleiben" not in html
    assert "Abwesenheitsnotiz" not in html


def test_customer_text_is_escaped(client, brand, agents):
    client.post("/stadtwerk/contact/", form_data(text="<script>alert(1)</script> bitte"))
    html = client.get(page_of(Case.objects.get())).content.decode()
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; bitte" in html


def test_open_and_kept_promises_are_shown_cancelled_not(client, case, agents):
    due = timezone.now() + timedelta(days=2)
    common = {"case": case, "brand": case.brand, "owner": agents["anna"], "due_at": due}
    Promise.objects.create(kind=Promise.Kind.CREDIT, amount_cents=1500, text="Gutschrift für den Ausfall", **common)
    Promise.objects.create(
        kind=Promise.Kind.CALLBACK, text="Rückruf am Donnerstag", state=Promise.State.KEPT, closed_at=due, **common
    )
    Promise.objects.create(kind=Promise.Kind.CUSTOM, text="Zurückgezogen", state=Promise.State.CANCELLED, **common)
    html = client.get(page_of(case)).content.decode()
    assert "What we promised you" in html
    assert "Gutschrift für den Ausfall" in html and "15.00 EUR" in html
    assert "Rückruf am Donnerstag" in html and "kept on" in html
    assert "Zurückgezogen" not in html


def test_reply_lands_on_the_same_case_with_the_same_owner(client, case):
    before = Message.objects.filter(case=case).count()
    page = page_of(case)
    form = client.get(page).context["form"]
    response = client.post(
        page, {"text": "Der Techniker kann ab 14 Uhr kommen.", "submission": form["submission"].value()}
    )
    assert response.status_code == 302 and response["Location"] == page + "#latest"
    assert Case.objects.count() == 1
    case.refresh_from_db()
    assert case.owner.name == "Anna Schmidt"
    assert Message.objects.filter(case=case).count() == before + 1  # what the owner's desk shows grew
    reply = Message.objects.filter(case=case).latest("id")
    assert reply.channel == "portal" and reply.direction == Direction.IN
    assert reply.body_text == "Der Techniker kann ab 14 Uhr kommen."
    assert Inbound.objects.get(channel="portal").state == InboundState.DONE
    followed = client.get(page).content.decode()
    assert "Your message was added. Anna Schmidt will answer you." in followed
    assert "Der Techniker kann ab 14 Uhr kommen." in followed
    # The case page is the confirmation: no extra confirmation mail for a reply typed there.
    assert not Message.objects.filter(case=case, kind=MessageKind.CONFIRMATION, id__gt=reply.id).exists()


def test_reply_reopens_a_waiting_case(client, case, agents):
    cases.do_reply(case, agents["anna"], "Können Sie mir Ihre Zählernummer schicken?")
    client.post(page_of(case), {"text": "Zählernummer 12345", "submission": ""})
    case.refresh_from_db()
    assert case.state == CaseState.OPEN


def test_reply_sent_twice_is_stored_once(client, case):
    data = {"text": "Doppelt geklickt", "submission": "7d4c8f3e-1b2a-4c5d-9e8f-0a1b2c3d4e5f"}
    client.post(page_of(case), data)
    client.post(page_of(case), data)
    assert Message.objects.filter(case=case, body_text="Doppelt geklickt").count() == 1


def test_empty_reply_is_400(client, case):
    before = Message.objects.count()
    response = client.post(page_of(case), {"text": "  ", "submission": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert Message.objects.count() == before


def test_reply_rate_limit(client, case, settings):
    settings.FORM_RATE_LIMIT = "1/h"
    assert client.post(page_of(case), {"text": "eins"}).status_code == 302
    response = client.post(page_of(case), {"text": "zwei"})
    assert response.status_code == 429
    assert ">zwei</textarea>" in response.content.decode()


def test_closed_case_offers_the_form_instead_of_a_reply_box(client, case, agents):
    cases.do_change_state(case, agents["anna"], CaseState.CLOSED)
    html = client.get(page_of(case)).content.decode()
    assert "This request is closed" in html and 'href="/stadtwerk/contact/"' in html
    assert client.post(page_of(case), {"text": "noch was"}).status_code == 400
    assert not Message.objects.filter(body_text="noch was").exists()


def test_refused_csrf_on_the_case_page_keeps_the_text(case):
    strict = Client(enforce_csrf_checks=True)
    strict.get(page_of(case))
    response = strict.post(page_of(case), {"text": "Bitte behalten", "csrfmiddlewaretoken": "x" * 32})
    assert response.status_code == 403
    assert ">Bitte behalten</textarea>" in response.content.decode()


def test_tampered_token_gets_a_clear_404(client, case):
    token = links.case_token(case)
    bad = token[:-4] + ("aaaa" if not token.endswith("aaaa") else "bbbb")
    response = client.get(reverse("portal:case", args=[bad]))
    assert response.status_code == 404
    assert "This link is not valid" in response.content.decode()
    assert client.get("/c/not-a-token/").status_code == 404


def test_token_of_a_rekeyed_case_is_invalid(client, case):
    page = page_of(case)
    Case.objects.filter(pk=case.pk).update(reply_token="zzzzzzzzzz")
    assert client.get(page).status_code == 404


def test_expired_token_explains_and_offers_the_form(client, case, monkeypatch, settings):
    old = time.time() - settings.CASE_LINK_MAX_AGE - 60
    with monkeypatch.context() as m:
        m.setattr(signing.time, "time", lambda: old)
        token = links.case_token(case)
    response = client.get(reverse("portal:case", args=[token]))
    assert response.status_code == 410
    html = response.content.decode()
    assert "This link has expired" in html and "fresh link" in html
    assert 'href="/stadtwerk/contact/"' in html
    assert "Seit heute Abend" not in html
    assert client.post(reverse("portal:case", args=[token]), {"text": "x"}).status_code == 410


def test_attachments_download_only_from_their_own_case(client, case, brand):
    upload_response = client.post(
        "/stadtwerk/contact/",
        form_data(email="other@example.org", subject="Zweites Thema", attachment=ContentFile(b"PDF", name="r.pdf")),
    )
    assert upload_response.status_code == 302
    att = Attachment.objects.get()
    other_case = att.message.case
    assert other_case != case
    own = client.get(reverse("portal:attachment", args=[links.case_token(other_case), att.pk]))
    assert own.status_code == 200 and b"".join(own.streaming_content) == b"PDF"
    assert own["Content-Disposition"].startswith("attachment") and own["Content-Type"] == "application/octet-stream"
    foreign = client.get(reverse("portal:attachment", args=[links.case_token(case), att.pk]))
    assert foreign.status_code == 404


def test_link_of_a_merged_case_leads_to_the_case_it_was_merged_into(client, case):
    client.post("/stadtwerk/contact/", form_data(email="jana.k@example.org", subject="Zählerstand"))
    other = Case.objects.exclude(pk=case.pk).get()
    Case.objects.filter(pk=other.pk).update(merged_into=case, state=CaseState.CLOSED)
    response = client.get(page_of(other))
    assert response.status_code == 302 and response["Location"] == page_of(case)



@pytest.mark.parametrize("language", ["de", "en"])
def test_the_case_link_is_the_reversed_path_of_its_token(case, language, settings):
    from django.utils import translation

    with translation.override(language):
        assert links.case_url(case) == settings.BASE_URL + reverse("portal:case", args=[links.case_token(case)])
