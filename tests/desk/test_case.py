"""The case page and what agents do on it: timeline, reply, note, state, handover, send again, attachments."""

from __future__ import annotations

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from anliegen.base.parsed import ParsedAttachment
from anliegen.core.models import Case, CaseEvent, CaseState, Direction, Message, MessageKind
from anliegen.core.services.messages import save_attachments

HX = {"HX-Request": "true"}


def test_case_page_shows_header_and_whole_timeline(agents, anna_client, mail_case, brand, tasks):
    case = mail_case(brand, "Zählerstand falsch", owner=agents["anna"], text="Der Zähler zeigt 4711.")
    tasks()
    body = anna_client.get(reverse("desk:case", args=[case.pk])).content.decode()
    assert "Zählerstand falsch" in body
    assert "Anna Schmidt" in body and "Stadtwerk Nord" in body
    assert "jana@example.org" in body  # contact identity
    assert "Der Zähler zeigt 4711." in body  # the customer's message
    assert "kind-confirmation" in body  # the confirmation, marked as such
    assert "Case opened" in body  # the created event
    assert 'class="badge sent"' in body  # the confirmation was delivered


def test_timeline_fragment_only_for_live_refresh(agents, anna_client, mail_case, brand):
    case = mail_case(brand, "Abschlag", owner=agents["anna"])
    response = anna_client.get(reverse("desk:case", args=[case.pk]), {"part": "timeline"}, headers=HX)
    body = response.content.decode()
    assert body.startswith('<section id="timeline"') and "<html" not in body


def test_reply_is_queued_then_mailed_in_thread_with_owner_name(agents, anna_client, mail_case, brand, tasks):
    case = mail_case(brand, "Zählerstand falsch", owner=agents["anna"])
    customer_id = Message.objects.get(case=case, direction=Direction.IN).external_id
    tasks()
    mail.outbox.clear()
    upload = SimpleUploadedFile("foto.txt", b"Zaehler 4711", content_type="text/plain")
    response = anna_client.post(
        reverse("desk:reply", args=[case.pk]),
        {"text": "Wir korrigieren den Zählerstand.", "channel": "email", "next_state": "waiting", "attachment": upload},
        headers=HX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert body.startswith('<div id="case-main"')  # the case part only, no full reload
    assert "Wir korrigieren den Zählerstand." in body and 'class="badge queued"' in body
    reply = Message.objects.get(case=case, direction=Direction.OUT, kind=MessageKind.MESSAGE)
    assert reply.delivery == Message.Delivery.QUEUED and reply.author_agent == agents["anna"]
    assert reply.attachments.get().filename == "foto.txt"
    assert Case.objects.get(pk=case.pk).state == CaseState.WAITING
    assert len(mail.outbox) == 0
    tasks()
    sent = mail.outbox[-1]
    assert sent.to == ["jana@example.org"]
    assert "Anna Schmidt" in sent.from_email and f"anna+{case.reply_token}@stadtwerk.example" in sent.from_email
    assert f"<{customer_id}>" in sent.extra_headers["References"]
    assert sent.extra_headers["In-Reply-To"].startswith("<")
    assert sent.attachments[0][0] == "foto.txt"
    reply.refresh_from_db()
    assert reply.delivery == Message.Delivery.SENT


def test_reply_without_text_is_refused_with_422(agents, anna_client, mail_case, brand):
    case = mail_case(brand, "Leer", owner=agents["anna"])
    response = anna_client.post(reverse("desk:reply", args=[case.pk]), {"text": "", "channel": "email"}, headers=HX)
    assert response.status_code == 422
    response = anna_client.post(
        reverse("desk:reply", args=[case.pk]), {"text": "Hallo", "channel": "telegram", "next_state": "waiting"}
    )
    assert response.status_code == 422  # a channel the contact has no address on
    assert not Message.objects.filter(case=case, direction=Direction.OUT, kind=MessageKind.MESSAGE).exists()


def test_reply_without_htmx_redirects_and_can_solve(agents, anna_client, mail_case, brand):
    case = mail_case(brand, "Danke", owner=agents["anna"])
    response = anna_client.post(
        reverse("desk:reply", args=[case.pk]), {"text": "Gern.", "channel": "email", "next_state": "solved"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("desk:case", args=[case.pk])
    assert Case.objects.get(pk=case.pk).state == CaseState.SOLVED


def test_note_stays_internal(agents, anna_client, mail_case, brand, tasks):
    case = mail_case(brand, "Intern", owner=agents["anna"])
    tasks()
    mail.outbox.clear()
    response = anna_client.post(reverse("desk:note", args=[case.pk]), {"text": "Kunde ist Großkunde."}, headers=HX)
    assert response.status_code == 200 and "Kunde ist Großkunde." in response.content.decode()
    note = Message.objects.get(case=case, kind=MessageKind.NOTE)
    assert note.direction == Direction.INTERNAL and note.delivery == ""
    assert tasks() == 0 and mail.outbox == []


def test_reassign_tells_customer_the_new_owner(agents, anna_client, mail_case, brand, tasks):
    case = mail_case(brand, "Übergabe", owner=agents["anna"])
    tasks()
    mail.outbox.clear()
    url = reverse("desk:reassign", args=[case.pk])
    assert anna_client.post(url, {"new_owner": agents["ben"].pk, "note": ""}, headers=HX).status_code == 422
    response = anna_client.post(url, {"new_owner": agents["ben"].pk, "note": "Ben kennt den Tarif."}, headers=HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Ben kennt den Tarif." in body and "handed the case from Anna Schmidt to Ben Wagner" in body
    assert Case.objects.get(pk=case.pk).owner == agents["ben"]
    tasks()
    assert len(mail.outbox) == 1
    assert "Ben Wagner" in mail.outbox[0].body and "Ben Wagner" in mail.outbox[0].from_email


def test_reassign_refuses_agent_of_another_brand(agents, other_brand, anna_client, mail_case, brand):
    case = mail_case(brand, "Fremd", owner=agents["anna"])
    dora = other_brand.memberships.get().agent
    response = anna_client.post(reverse("desk:reassign", args=[case.pk]), {"new_owner": dora.pk, "note": "x"})
    assert response.status_code == 422
    assert Case.objects.get(pk=case.pk).owner == agents["anna"]


def test_state_change_is_recorded(agents, anna_client, mail_case, brand):
    case = mail_case(brand, "Status", owner=agents["anna"])
    response = anna_client.post(reverse("desk:state", args=[case.pk]), {"state": "solved"}, headers=HX)
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).state == CaseState.SOLVED
    event = CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.STATE)
    assert event.actor == agents["anna"] and event.data == {"from": "open", "to": "solved"}
    assert "changed the state from open to solved" in response.content.decode()
    assert anna_client.post(reverse("desk:state", args=[case.pk]), {"state": "lost"}).status_code == 422


def test_failed_delivery_shows_reason_and_send_again_works(agents, anna_client, mail_case, brand, tasks):
    case = mail_case(brand, "Zustellung", owner=agents["anna"])
    tasks()
    confirmation = Message.objects.get(case=case, kind=MessageKind.CONFIRMATION)
    Message.objects.filter(pk=confirmation.pk).update(
        delivery=Message.Delivery.FAILED,
        delivery_error="SMTPRecipientsRefused: 550 mailbox unknown",
        delivery_attempts=8,
    )
    mail.outbox.clear()
    body = anna_client.get(reverse("desk:case", args=[case.pk])).content.decode()
    assert "550 mailbox unknown" in body and reverse("desk:retry", args=[confirmation.pk]) in body
    response = anna_client.post(reverse("desk:retry", args=[confirmation.pk]), headers=HX)
    assert response.status_code == 200
    confirmation.refresh_from_db()
    assert confirmation.delivery == Message.Delivery.QUEUED and confirmation.delivery_attempts == 0
    tasks()
    confirmation.refresh_from_db()
    assert confirmation.delivery == Message.Delivery.SENT and len(mail.outbox) == 1
    # Sent now: a second "send again" is refused, nothing is mailed twice.
    assert anna_client.post(reverse("desk:retry", args=[confirmation.pk]), headers=HX).status_code == 422
    assert tasks() == 0 and len(mail.outbox) == 1


def test_timeline_entries_are_rendered_once_and_show_every_change(agents, anna_client, mail_case, brand, tasks):
    from unittest import mock

    from anliegen.desk import timeline

    case = mail_case(brand, "Zwischengespeichert", owner=agents["anna"], text="Zähler 4711.")
    url = reverse("desk:case", args=[case.pk])
    assert 'class="badge queued"' in anna_client.get(url).content.decode()  # the confirmation, not sent yet
    tasks()
    assert 'class="badge sent"' in anna_client.get(url).content.decode()  # its delivery is part of the key
    with mock.patch.object(timeline, "_render", wraps=timeline._render) as render:
        body = anna_client.get(url).content.decode()
    assert render.call_count == 0 and "Zähler 4711." in body  # nothing changed: every entry from the cache
    Message.objects.filter(case=case, direction=Direction.IN).update(body_text="[gelöscht]")  # e.g. erased
    with mock.patch.object(timeline, "_render", wraps=timeline._render) as render:
        body = anna_client.get(url).content.decode()
    assert render.call_count == 1 and "[gelöscht]" in body and "Zähler 4711." not in body


def test_send_again_carries_this_requests_csrf_token(agents, anna_client, mail_case, brand, tasks):
    from django.test import Client

    from tests.desk.conftest import PASSWORD

    case = mail_case(brand, "Zustellung", owner=agents["anna"])
    tasks()
    confirmation = Message.objects.get(case=case, kind=MessageKind.CONFIRMATION)
    Message.objects.filter(pk=confirmation.pk).update(delivery=Message.Delivery.FAILED, delivery_error="550")
    strict = Client(enforce_csrf_checks=True)
    assert strict.login(username="anna", password=PASSWORD)
    anna_client.get(reverse("desk:case", args=[case.pk]))  # another browser's visit rendered the entry before
    body = strict.get(reverse("desk:case", args=[case.pk])).content.decode()
    form = body.split(f'action="{reverse("desk:retry", args=[confirmation.pk])}"')[1].split("</form>")[0]
    token = form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    response = strict.post(reverse("desk:retry", args=[confirmation.pk]), {"csrfmiddlewaretoken": token})
    assert response.status_code in (200, 302)


def test_attachment_download_and_formatted_body(agents, anna_client, mail_case, brand):
    case = mail_case(brand, "Anhang", owner=agents["anna"])
    message = Message.objects.get(case=case, direction=Direction.IN)
    save_attachments(message, [ParsedAttachment("rechnung.pdf", "application/pdf", b"%PDF-1.4 test")])
    Message.objects.filter(pk=message.pk).update(body_html="<p>Hallo <b>Team</b></p>")
    attachment = message.attachments.get()
    response = anna_client.get(reverse("desk:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert response["Content-Disposition"].startswith("attachment")
    response = anna_client.get(reverse("desk:message_html", args=[message.pk]))
    assert "<b>Team</b>" in response.content.decode()


def test_contact_page_lists_identities_and_cases(agents, anna_client, mail_case, brand):
    case = mail_case(brand, "Kontakt", owner=agents["anna"])
    body = anna_client.get(reverse("desk:contact", args=[case.contact_id])).content.decode()
    assert "jana@example.org" in body and "Kontakt" in body


def test_case_page_reads_the_contacts_identities_once_and_an_incident_only_when_linked(
    agents, anna_client, mail_case, brand
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from anliegen.core.models import Identity, Incident

    case = mail_case(brand, "Zählerstand falsch", owner=agents["anna"])
    Identity.objects.create(contact=case.contact, brand=brand, kind="phone", value="+49401234567", verified=True)
    outage = Incident.objects.create(brand=brand, title="Störung Nord", starts_at=timezone.now())
    with CaptureQueriesContext(connection) as queries:
        page = anna_client.get(reverse("desk:case", args=[case.pk])).content.decode()
    # The header's identities also give the reply form its channels and its default address.
    assert len([q for q in queries if 'FROM "core_identity"' in q["sql"]]) == 1
    assert "jana@example.org" in page and "+49401234567" in page
    assert '<option value="email" selected>' in page
    assert not [q for q in queries if 'FROM "core_case"' in q["sql"] and "core_incident" in q["sql"]]
    assert f'<option value="{outage.pk}">Störung Nord</option>' in page  # offered to link

    Case.objects.filter(pk=case.pk).update(incident=outage)
    page = anna_client.get(reverse("desk:case", args=[case.pk])).content.decode()
    assert f'href="{reverse("desk:incident", args=[outage.pk])}">Störung Nord</a>' in page
    assert 'name="unlink"' in page


def test_send_again_shows_once_a_queued_message_is_stuck_with_a_working_token(agents, mail_case, brand):
    from datetime import timedelta

    from django.test import Client
    from django.utils import timezone

    from anliegen.core.models.case import STUCK_AFTER
    from tests.desk.conftest import PASSWORD

    case = mail_case(brand, "Hängt", owner=agents["anna"])
    confirmation = Message.objects.get(case=case, kind=MessageKind.CONFIRMATION)
    retry = reverse("desk:retry", args=[confirmation.pk])
    strict = Client(enforce_csrf_checks=True)
    assert strict.login(username="anna", password=PASSWORD)
    body = strict.get(reverse("desk:case", args=[case.pk])).content.decode()
    assert 'class="badge queued"' in body and retry not in body  # just queued: its sender is on it
    # Nobody sent it for longer than STUCK_AFTER: the same entry now offers "Send again" (the time is in its key).
    Message.objects.filter(pk=confirmation.pk).update(created_at=timezone.now() - STUCK_AFTER - timedelta(seconds=1))
    body = strict.get(reverse("desk:case", args=[case.pk])).content.decode()
    assert retry in body and "csrf-slot" not in body
    form = body.split(f'action="{retry}"')[1].split("</form>")[0]
    token = form.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert strict.post(retry, {"csrfmiddlewaretoken": token}).status_code in (200, 302)


def test_timeline_entries_follow_the_language_and_an_edited_template(agents, anna_client, mail_case, brand):
    from unittest import mock

    from django.template import engines

    from anliegen.desk import timeline

    case = mail_case(brand, "Sprache", owner=agents["anna"])
    url = reverse("desk:case", args=[case.pk])
    assert "Case opened, owner" in anna_client.get(url, headers={"accept-language": "en"}).content.decode()
    german = anna_client.get(url, headers={"accept-language": "de"}).content.decode()
    assert "Fall eröffnet, zuständig:" in german and "Case opened, owner" not in german
    # A new release's entry template (a cache shared with Redis outlives the processes that filled it).
    source = timeline._entry_template().template.source
    edited = engines["django"].from_string(source.replace('<article class="msg', '<article data-edited class="msg'))
    with mock.patch.object(timeline, "_entry_template", return_value=edited):
        body = anna_client.get(url, headers={"accept-language": "de"}).content.decode()
    assert "data-edited" in body


def test_case_page_queries_are_bounded_whatever_the_case_holds(agents, anna_client, dora_client, mail_case, brand):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from anliegen.core.services.cases import do_note

    short = mail_case(brand, "Kurz", owner=agents["anna"])
    long = mail_case(brand, "Lang", owner=agents["anna"])
    for i in range(6):
        do_note(long, agents["anna"], f"Notiz {i}")
    message = Message.objects.filter(case=long, direction=Direction.IN).first()
    save_attachments(message, [ParsedAttachment("zaehler.jpg", "image/jpeg", b"jpeg")])
    counts = {}
    for case in (short, long):
        url = reverse("desk:case", args=[case.pk])
        anna_client.get(url)  # the first view writes its audit entry
        with CaptureQueriesContext(connection) as queries:
            body = anna_client.get(url).content.decode()
        counts[case.subject] = len(queries)
    assert "Notiz 5" in body and "zaehler.jpg" in body
    # Session, user, the agent with their memberships; the case; the audit check; drafts; identities; messages; events; the
    # clock and the brand's targets; incidents; macros; the brand's tags; colleagues; the case's tags. Attachments
    # and receipts only when a message has some.
    assert counts == {"Kurz": 16, "Lang": 17}
    assert dora_client.get(reverse("desk:case", args=[long.pk])).status_code == 404  # cached or not, another brand
