"""The web form: rendering per language, validation that loses nothing, honeypot, rate limits, idempotency."""

from __future__ import annotations

import json

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from anliegen.core import case_links as links
from anliegen.core.models import Attachment, Case, Identity, Message, MessageKind
from anliegen.core.setup import create_brand
from anliegen.intake.models import Inbound, InboundState
from anliegen.portal import forms, views

from .conftest import form_data

pytestmark = pytest.mark.django_db
FORM = "/stadtwerk/contact/"


def test_home_lists_the_brands_contact_forms(client, brand, other_brand):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="/stadtwerk/contact/"' in html and 'href="/kabelnet/contact/"' in html
    assert "Stadtwerk Nord" in html and "KabelNet" in html


@pytest.mark.parametrize("language", ["de", "en"])
def test_form_renders_in_the_browser_language(client, brand, language):
    response = client.get(FORM, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert 'autocomplete="email"' in html and 'autocomplete="tel"' in html and 'autocomplete="name"' in html
    assert '<div class="hp" aria-hidden="true">' in html and 'name="website"' in html
    assert '<label for="id_text">' in html
    assert "Stadtwerk Nord" in html


def test_unknown_brand_gets_a_clear_404(client, brand):
    response = client.get("/nobody/contact/")
    assert response.status_code == 404
    assert "We could not find this contact form" in response.content.decode()


def test_submit_creates_one_case_with_owner_and_names_them_at_once(client, send_form, brand, agents, tasks):
    response = send_form()
    assert response.status_code == 302
    case = Case.objects.get()
    anna = agents["anna"]
    assert case.owner == anna  # the only agent who speaks German and has the default role
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert f"<h1>{anna.name} is looking after your request</h1>" in html
    assert anna.reply_address(brand, case.reply_token) in html
    assert "+49 40 123456, extension 201" in html
    assert "A confirmation e-mail is on its way to jana@example.org" in html
    assert reverse("portal:case", args=[links.case_token(case)]) in html
    assert case.reply_token not in html.split("<h1>")[1].split("</h1>")[0]
    assert page["Referrer-Policy"] == "same-origin"

    assert tasks() == 1
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert anna.name in sent.body and sent.to == ["jana@example.org"]
    assert sent.extra_headers["Auto-Submitted"] == "auto-replied"
    assert sent.message()["Auto-Submitted"] == "auto-replied"


def test_browser_language_is_passed_with_the_submission(brand, agents):
    # The English text alone would be detected as English; the German browser decides.
    de = Client(HTTP_ACCEPT_LANGUAGE="de")
    de.post(FORM, form_data(text="Hello, my TV is black since tonight, please help."))
    item = Inbound.objects.get()
    assert json.loads(bytes(item.raw))["language"] == "de"
    assert Case.objects.get().language == "de"


def test_stored_payload_is_the_form_submission_shape(send_form, brand, agents):
    send_form(phone="040 123456")
    item = Inbound.objects.get()
    payload = json.loads(bytes(item.raw))
    assert set(payload) == {"name", "email", "phone", "subject", "text", "language", "files", "case_link"}
    assert payload["case_link"] == ""  # no signed case link: the message opens a case of its own
    assert payload["phone"] == "+4940123456"  # normalised to E.164 before it is stored
    assert item.meta["submission"] == item.external_id and item.meta["ip"] == "127.0.0.1"
    assert item.brand_id == brand.pk and item.state == InboundState.DONE
    assert set(Identity.objects.values_list("kind", "value")) == {
        ("email", "jana@example.org"),
        ("phone", "+4940123456"),
    }


def test_attachment_is_stored_on_the_message(client, send_form, brand, agents):
    upload = SimpleUploadedFile("zaehler.jpg", b"\xff\xd8\xff fake jpeg bytes", content_type="image/jpeg")
    response = send_form(attachment=upload)
    assert response.status_code == 302
    att = Attachment.objects.get()
    assert att.filename == "zaehler.jpg" and att.content_type == "image/jpeg"
    assert att.message.direction == "in" and att.message.case == Case.objects.get()
    with att.file.open("rb") as fh:
        assert fh.read() == b"\xff\xd8\xff fake jpeg bytes"


def test_empty_form_is_400_and_nothing_is_created(client, brand, agents):
    response = client.post(FORM, {"name": "Jana <b>Krüger</b>", "subject": "Zähler", "text": "", "email": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="Jana &lt;b&gt;Krüger&lt;/b&gt;"' in html and 'value="Zähler"' in html
    assert "This field is required." in html
    assert "Please give an e-mail address or a phone number" in html
    assert Inbound.objects.count() == 0 and Case.objects.count() == 0


def test_invalid_form_keeps_everything_typed(client, brand, agents):
    data = form_data(email="jana(at)example", phone="", text="Mein langer Text\nmit Zeilen")
    response = client.post(FORM, data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "This does not look like an e-mail address" in html
    assert 'value="jana(at)example"' in html
    assert ">Mein langer Text\nmit Zeilen</textarea>" in html
    assert f'value="{data["submission"]}"' in html  # the same nonce: a corrected resend is still one item
    assert Inbound.objects.count() == 0


def test_bad_phone_is_400(client, brand, agents):
    response = client.post(FORM, form_data(email="", phone="abc"))
    assert response.status_code == 400
    assert "This does not look like a phone number" in response.content.decode()


def test_text_over_the_limit_is_400(client, brand, agents):
    response = client.post(FORM, form_data(text="x" * (forms.MAX_TEXT + 1)))
    assert response.status_code == 400
    assert "Please keep your message under 20000 characters." in response.content.decode()
    assert Inbound.objects.count() == 0


def test_attachment_over_the_limit_is_400_with_a_clear_error(client, brand, agents, settings):
    assert forms.max_attachment_bytes() == 10 * 1024 * 1024
    settings.FORM_MAX_ATTACHMENT_BYTES = 1000
    upload = SimpleUploadedFile("scan.pdf", b"x" * 1001, content_type="application/pdf")
    response = client.post(FORM, form_data(attachment=upload))
    assert response.status_code == 400
    html = response.content.decode()
    assert "files up to 1000\xa0bytes can be sent" in html
    assert "Please choose your attachment again." in html
    assert Inbound.objects.count() == 0


def test_wrong_csrf_token_gets_a_friendly_403_with_the_text_kept(brand, agents):
    strict = Client(enforce_csrf_checks=True)
    strict.get(FORM)  # sets the cookie
    response = strict.post(FORM, form_data(csrfmiddlewaretoken="wrong" * 8, text="Bitte nicht verlieren"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Your message has not been sent yet." in html
    assert ">Bitte nicht verlieren</textarea>" in html
    assert "Forbidden" not in html and "CSRF verification failed" not in html
    assert Inbound.objects.count() == 0
    # The refused page carries a fresh token: sending again works.
    token = response.context["csrf_token"]
    again = strict.post(FORM, form_data(csrfmiddlewaretoken=str(token)))
    assert again.status_code == 302 and Case.objects.count() == 1


def test_missing_csrf_cookie_elsewhere_gets_the_generic_page(brand):
    response = Client(enforce_csrf_checks=True).post("/")
    assert response.status_code == 403
    assert "Please allow cookies for this site" in response.content.decode()


def test_filled_honeypot_is_a_calm_400_and_creates_nothing(client, brand, agents):
    response = client.post(FORM, form_data(website="http://spam.example"))
    assert response.status_code == 400
    assert "Your message could not be sent." in response.content.decode()
    assert Inbound.objects.count() == 0 and Case.objects.count() == 0


def test_rate_limit_per_client_ip(client, brand, agents, settings):
    settings.FORM_RATE_LIMIT = "2/h"
    for i in range(2):
        assert client.post(FORM, form_data(email=f"p{i}@example.org")).status_code == 302
    response = client.post(FORM, form_data(email="p9@example.org", text="Dritte Nachricht"))
    assert response.status_code == 429
    html = response.content.decode()
    assert "Too many messages in a short time." in html and ">Dritte Nachricht</textarea>" in html
    assert Inbound.objects.count() == 2
    # Another connection is not affected.
    assert client.post(FORM, form_data(email="p8@example.org"), REMOTE_ADDR="10.0.0.8").status_code == 302


def test_rate_limit_per_address_never_locks_the_customer_out(client, brand, agents, settings, tasks):
    """Anyone can type her address: past the per-address limit her message is still taken (never a 429 for
    her), only the address gets no more confirmation mails this hour (no mail storm for her either)."""
    settings.FORM_RATE_LIMIT = "2/h"
    for i in range(2):
        assert client.post(FORM, form_data(subject=f"Anliegen {i}"), REMOTE_ADDR=f"10.0.1.{i}").status_code == 302
    response = client.post(FORM, form_data(email="JANA@example.org", subject="Ich"), REMOTE_ADDR="10.0.1.9")
    assert response.status_code == 302 and Inbound.objects.count() == 3
    thanks = client.get(response["Location"]).content.decode()
    assert "we are not sending another confirmation e-mail now" in thanks and "/c/" in thanks
    assert Inbound.objects.get(external_id=response.wsgi_request.POST["submission"]).meta["quiet"]
    tasks()
    assert len(mail.outbox) == 2


def test_double_click_sends_once(client, brand, agents):
    data = form_data()
    first = client.post(FORM, data)
    second = client.post(FORM, data)
    assert first.status_code == second.status_code == 302
    assert Inbound.objects.count() == 1 and Case.objects.count() == 1
    assert Message.objects.filter(direction="in").count() == 1
    assert client.get(second["Location"]).status_code == 200


def test_phone_only_gets_no_mail_but_the_case_link(client, send_form, brand, agents, tasks):
    response = send_form(email="", phone="+49 171 2345678")
    html = client.get(response["Location"]).content.decode()
    assert "You gave no e-mail address" in html
    assert "Anna Schmidt is looking after your request" in html
    assert not Message.objects.filter(kind=MessageKind.CONFIRMATION).exists()
    tasks()
    assert mail.outbox == []


def test_quarantined_submission_gets_an_honest_page(client, db):
    create_brand("leer", "Leer GmbH", "leer.example", hotline="+49 30 999")  # no agent at all
    response = client.post("/leer/contact/", form_data())
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Your message has arrived" in html and "A person from our team will look at it" in html
    assert "+49 30 999" in html
    assert Inbound.objects.get().state == InboundState.QUARANTINED and Case.objects.count() == 0


def test_confirmation_page_cannot_be_guessed_or_reused_forever(
    client, send_form, brand, agents, other_brand, monkeypatch
):
    location = send_form()["Location"]
    assert f"/{Inbound.objects.get().pk}/" not in location
    tampered = location[:-3] + ("A" if location[-3] != "A" else "B") + location[-2:]
    assert client.get(tampered).status_code == 404
    assert client.get(location.replace("/stadtwerk/", "/kabelnet/")).status_code == 404
    monkeypatch.setattr(views, "THANKS_MAX_AGE", -1)
    expired = client.get(location)
    assert expired.status_code == 410
    assert 'href="/stadtwerk/contact/"' in expired.content.decode()


def test_line_breaks_in_subject_and_name_are_cleaned_and_mail_still_goes_out(client, brand, agents, tasks):
    subject = "Strom weg\r\nBcc: everyone@example.net"
    response = client.post(FORM, form_data(subject=subject, name="Jana\nKrüger"))
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.subject == "Strom weg Bcc: everyone@example.net" and case.contact.name == "Jana Krüger"
    tasks()
    [confirmation] = mail.outbox
    assert "\n" not in confirmation.subject and confirmation.to == ["jana@example.org"]


def test_a_case_stored_with_a_line_break_in_its_subject_still_gets_mail(client, brand, agents, tasks):
    from anliegen.core.services import cases

    client.post(FORM, form_data())
    case = Case.objects.get()
    Case.objects.filter(pk=case.pk).update(subject="Alt\r\ngespeichert")  # before the form cleaned subjects
    case.refresh_from_db()
    tasks()
    mail.outbox = []
    cases.do_reply(case, agents["anna"], "Wir kümmern uns.")
    tasks()
    [reply] = mail.outbox
    assert reply.subject.startswith("Alt gespeichert") and reply.to == ["jana@example.org"]


def test_a_subject_of_only_line_breaks_is_refused_like_an_empty_one(client, brand, agents):
    assert client.post(FORM, form_data(subject="\r\n\r\n")).status_code == 400
    assert not Inbound.objects.exists()


def test_in_production_the_post_only_stores_and_the_worker_names_the_owner(
    client, send_form, brand, agents, settings, monkeypatch
):
    """Without eager intake (as deployed) a post is one stored row; the worker takes it with the others waiting.

    Until then the thanks page says it arrived and looks again in a second; a submission the worker has not
    taken within the grace is processed in the request, so nobody waits on a stopped worker.
    """
    from datetime import timedelta

    from anliegen.intake import worker

    settings.INTAKE_EAGER = False
    location = send_form()["Location"]
    item = Inbound.objects.get()
    assert item.state == InboundState.RECEIVED and Case.objects.count() == 0
    waiting = client.get(location).content.decode()
    assert "Your message has arrived" in waiting and 'http-equiv="refresh" content="1"' in waiting
    assert Inbound.objects.get().state == InboundState.RECEIVED  # the page did not run the pipeline

    assert worker.drain() == 1
    done = client.get(location).content.decode()
    assert f"<h1>{agents['anna'].name} is looking after your request</h1>" in done and "refresh" not in done

    late = send_form(subject="Zweite Frage zum Zähler")["Location"]
    monkeypatch.setattr(views, "WORKER_GRACE", timedelta(seconds=-1))
    page = client.get(late).content.decode()
    assert "is looking after your request</h1>" in page and Case.objects.count() == 2
