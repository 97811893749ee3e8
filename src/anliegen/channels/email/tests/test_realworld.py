"""Real-world mail classes (issue fixtures): machine-made mail without standard markers, repaired senders,
Reply-To, charsets, lenient headers. Fixture in, exact facts out; then through the pipeline."""

from __future__ import annotations

import pytest

from anliegen.channels.email.charsets import preferring
from anliegen.channels.email.parse import parse
from anliegen.core.models import Message, MessageKind
from anliegen.intake.models import InboundState

from .conftest import FIXTURES, deliver, fixture

# Machine-made mail with none of Auto-Submitted, a report part, Precedence or List-Id/-Post/-Unsubscribe.
AUTOMATIC = {
    "bounce__post_master.eml": "system sender post_master@mail.example.net",
    "bounce__mailer_daemon_no_domain.eml": "system sender MAILER-DAEMON",
    "bounce__mailer_daemon_at_host.eml": "system sender mailer-daemon@mx01",
    "bounce__null_return_path.eml": "null return path (bounce or auto-reply)",
    "bounce__return_path_mailer_daemon.eml": "system return path <MAILER-DAEMON@mx.example.net>",
    "bounce__encoded_subject.eml": "subject of an automatic reply",
    "bounce__unusual_subject.eml": "bounce or gateway notice (subject and wording)",
    "gateway__virus_notice.eml": "bounce or gateway notice (subject and wording)",
    "gateway__virusalert_sender.eml": "system sender virusalert@scanner.example",
    "list__subscribe_only.eml": "mailing list or newsletter (List-Subscribe)",
    "list__x_ml.eml": "mailing list or newsletter (X-ML-Name)",
    "list__mailing_list.eml": "mailing list or newsletter (Mailing-List)",
    "challenge__tmda.eml": "system sender jana-confirm-1746425643.23456.3c4f1a@example.org",
    "challenge__verify_sender.eml": "challenge-response (sender verification)",
    "noreply__shop.eml": "system sender no-reply@shop.example",
    "notifications__tracker.eml": "system sender notifications@tracker.example",
    "cron__daemon.eml": "system sender Cron Daemon",
    "jira__notification.eml": "system sender jira@jira.example.com",
    "receipt__outlook_read.eml": "read receipt (subject and wording)",
    "receipt__outlook_read_en.eml": "read receipt (subject and wording)",
    "arf__complaint_mixed.eml": "abuse feedback report (subject and wording)",
    "sender__quoted_system_administrator.eml": 'system sender "system administrator"@firma.example',
}
PERSONS = [
    "replyto__person.eml", "replyto__ours.eml", "sender__quoted_local.eml", "sender__trailing_dot.eml",
    "sender__no_brackets.eml", "sender__two_addresses.eml", "sender__utf8_address.eml", "headers__broken_line.eml",
    "headers__obsolete_from_colon.eml", "charset__undeclared_cp1252_german.eml", "pgp__signed.eml",
]  # fmt: skip


@pytest.mark.nodb
@pytest.mark.parametrize("name", sorted(AUTOMATIC))
def test_machine_made_mail_is_recognised(name):
    assert parse(fixture(name), {}).automatic == AUTOMATIC[name]


@pytest.mark.nodb
@pytest.mark.parametrize("name", PERSONS)
def test_a_persons_mail_is_not_taken_for_machine_made(name):
    assert parse(fixture(name), {}).automatic == ""


@pytest.mark.nodb
def test_null_envelope_sender_over_smtp_is_automatic_but_mailgate_without_sender_is_not():
    raw = fixture("sender__trailing_dot.eml")
    assert parse(raw, {"mail_from": "", "peer": "127.0.0.1"}).automatic == "null envelope sender (bounce or auto-reply)"
    assert parse(raw, {"mail_from": "", "peer": "mailgate"}).automatic == ""
    assert parse(raw, {"mail_from": "MAILER-DAEMON", "peer": "mailgate"}).automatic.startswith("system envelope")


@pytest.mark.nodb
@pytest.mark.parametrize(
    ("name", "identities", "sender_name"),
    [
        ("sender__quoted_local.eml", [("email", "jana.krueger@example.org")], ""),
        ("sender__quoted_system_administrator.eml", [("email", '"system administrator"@firma.example')], ""),
        ("sender__trailing_dot.eml", [("email", "jana@example.org")], "Jana Krüger"),
        ("sender__no_brackets.eml", [("email", "jana@example.org")], "Jana Krueger"),
        ("sender__two_addresses.eml", [("email", "jana@example.org")], ""),
        ("sender__utf8_address.eml", [("email", "jürgen@müller.example")], "Jürgen Müller"),
        ("headers__obsolete_from_colon.eml", [("email", "jana@example.org")], "Jana Krüger"),
    ],
)
def test_sender_addresses_are_repaired(name, identities, sender_name):
    msg = parse(fixture(name), {})
    assert (msg.identities, msg.sender_name) == (identities, sender_name)


@pytest.mark.nodb
def test_reply_to_is_read_unless_it_is_the_list():
    assert parse(fixture("replyto__person.eml"), {}).reply_to == "jana@example.org"
    assert parse(fixture("list__subscribe_only.eml"), {}).reply_to == ""  # the list's own address


@pytest.mark.nodb
def test_a_broken_header_line_is_skipped_and_the_headers_after_it_kept():
    msg = parse(fixture("headers__broken_line.eml"), {})
    assert msg.subject == "Zählerstand nach kaputter Zeile" and msg.external_id == "bl-1@example.org"
    assert msg.text.strip() == "Der Zählerstand ist 12345."
    assert parse(fixture("headers__obsolete_from_colon.eml"), {}).subject == "Alte Schreibweise"


TEXTS = {
    "charset__utf8_one_bad_byte.eml": "Здравствуйте! Мо",
    "charset__undeclared_gbk.eml": "您好，我的电表坏了，请尽快派人来修理。谢谢！李伟",
    "charset__undeclared_shift_jis.eml": "こんにちは。メーターが壊れています。修理をお願いします。山田太郎",
    "charset__undeclared_euc_kr.eml": "안녕하세요. 계량기가 고장났습니다. 빨리 수리해 주세요. 김철수 드림",
    "charset__latin1_label_utf8_bytes.eml": "Grüße aus Köln, Jürgen Müller, Straße 5",
    "charset__undeclared_cp1252_german.eml": "Grüße aus Köln, Jürgen Müller, Straße 5",
    "charset__undeclared_cp1252_english.eml": "Our café’s meter – the one near the façade – costs £45 a month. Regards, Zoë",
    "charset__undeclared_cp1251_russian.eml": "Здравствуйте! Мой счётчик электроэнергии не работает уже неделю.",
}


@pytest.mark.nodb
@pytest.mark.parametrize("name", sorted(TEXTS))
def test_charsets(name):
    text = parse(fixture(name), {}).text
    assert text.startswith(TEXTS[name]), text[:80]
    assert "\ufffd" not in text or name == "charset__utf8_one_bad_byte.eml"


@pytest.mark.nodb
def test_one_invalid_byte_in_utf8_is_one_replacement_character():
    text = parse(fixture("charset__utf8_one_bad_byte.eml"), {}).text
    assert text.count("\ufffd") == 1 and text.rstrip().endswith("Иван Петров")


@pytest.mark.nodb
@pytest.mark.parametrize("languages", [["de"], ["en"], ["de", "en"]])
def test_undeclared_german_and_english_stay_latin_for_german_and_english_brands(languages):
    """Issue 18 item 4: cp1252 mail without a charset label must not turn Cyrillic ("GrьЯe aus Kцln")."""
    with preferring(languages):
        for name in ("charset__undeclared_cp1252_german.eml", "charset__undeclared_cp1252_english.eml"):
            assert parse(fixture(name), {"languages": languages}).text.startswith(TEXTS[name])
    # Real Cyrillic still reads as Cyrillic, also for a German brand.
    russian = parse(fixture("charset__undeclared_cp1251_russian.eml"), {"languages": languages}).text
    assert russian.startswith(TEXTS["charset__undeclared_cp1251_russian.eml"])


@pytest.mark.nodb
def test_raw_8bit_attachment_filename():
    [photo] = parse(fixture("charset__raw_8bit_filename.eml"), {}).attachments
    assert photo.filename == "Zählerstand Küche.jpg"


@pytest.mark.parametrize("name", sorted(AUTOMATIC))
def test_machine_made_mail_is_never_confirmed_nor_quarantined(agents, name):
    inbound = deliver(fixture(name))
    assert inbound.state == InboundState.DISCARDED, (inbound.stage, inbound.reason)
    assert "Traceback" not in inbound.reason and inbound.traceback == ""
    assert not Message.objects.filter(kind=MessageKind.CONFIRMATION).exists()


@pytest.mark.parametrize("name", PERSONS)
def test_a_persons_mail_is_confirmed(agents, name):
    inbound = deliver(fixture(name))
    assert inbound.state == InboundState.DONE, (inbound.stage, inbound.reason)
    assert Message.objects.filter(kind=MessageKind.CONFIRMATION).count() == 1


def test_confirmation_goes_to_reply_to_unless_it_is_ours(agents):
    deliver(fixture("replyto__person.eml"))
    assert Message.objects.get(kind=MessageKind.CONFIRMATION).address == "jana@example.org"
    Message.objects.all().delete()
    deliver(fixture("replyto__ours.eml"))
    assert Message.objects.get(kind=MessageKind.CONFIRMATION).address == "ole@example.net"


def test_automatic_mail_without_a_sender_is_filed_on_its_case(agents, tasks):
    """`From: MAILER-DAEMON` returning our confirmation: filed on the case, not quarantined for want of a sender."""
    from anliegen.core.models import Case

    first = deliver(fixture("sender__trailing_dot.eml"))
    tasks()  # the confirmation is sent, and gets its Message-ID as it goes
    confirmation = Message.objects.get(kind=MessageKind.CONFIRMATION)
    bounce = fixture("bounce__mailer_daemon_no_domain.eml").replace(
        b"ABC123.1f2e3d@stadtwerk.example", confirmation.external_id.encode()
    )
    inbound = deliver(bounce)
    assert inbound.state == InboundState.DONE and inbound.case_id == first.case_id
    assert Case.objects.count() == 1
    assert Message.objects.filter(kind=MessageKind.CONFIRMATION).count() == 1


@pytest.mark.nodb
def test_winmail_dat_is_unpacked_and_kept():
    msg = parse(fixture("outlook__winmail_dat_unpacked.eml"), {})
    assert msg.text.startswith("Sehr geehrte Damen und Herren,\nanbei der Zählerstand")
    assert [(a.filename, a.content_type) for a in msg.attachments] == [
        ("winmail.dat", "application/ms-tnef"),  # the original stays
        ("Zählerstand Mai 2026.csv", "text/csv"),  # the long name from its MAPI properties
        ("foto.jpg", "image/jpeg"),  # the 8.3 title
    ]
    assert msg.attachments[1].data == "Zähler;Stand\r\n4711;12345\r\n".encode("cp1252")


@pytest.mark.nodb
def test_a_damaged_winmail_dat_is_kept_as_it_is():
    msg = parse(fixture("outlook__winmail_dat.eml"), {})
    assert [a.filename for a in msg.attachments] == ["winmail.dat"]


@pytest.mark.nodb
def test_mbox_is_split_only_on_real_from_lines():
    from anliegen.channels.email.importer import mbox_messages

    raw = (FIXTURES / "mbox__unescaped_from.mbox").read_bytes()
    first, second = mbox_messages(raw)
    assert parse(first, {}).subject == "Alte Schreibweise"
    assert parse(second, {}).text == "Hallo,\n\nFrom now on please write to me here."


def test_import_of_the_mbox_and_an_eml_that_starts_with_an_obsolete_from(agents, tmp_path):
    from anliegen.channels.email.importer import import_mail

    eml = tmp_path / "obsolete.eml"
    eml.write_bytes(fixture("headers__obsolete_from_colon.eml").replace(b"ob-1@", b"ob-2@"))
    summary = import_mail([str(FIXTURES / "mbox__unescaped_from.mbox"), str(eml)])
    assert (summary.found, summary.imported, sum(summary.quarantined.values())) == (3, 3, 0)


@pytest.mark.nodb
def test_an_attached_outlook_item_is_unpacked_and_kept():
    """fixtures/outlook__msg_forwarded.eml: an item written by tests/outlook_item.py from MS-CFB/MS-OXMSG."""
    msg = parse(fixture("outlook__msg_forwarded.eml"), {})
    assert msg.text == "Anbei die Mail."  # the mail's own text; the item's is beside it
    assert [(a.filename, a.content_type) for a in msg.attachments] == [
        ("Zählerstand Gewerbeanschluss.msg", "application/vnd.ms-outlook"),  # the original stays
        ("Zählerstand Gewerbeanschluss.txt", "text/plain"),
        ("Zählerstand April 2026.csv", "text/csv"),
        ("Vertrag.pdf", "application/pdf"),
        ("AW_ Ablesung.txt", "text/plain"),  # the item attached to the item
        ("Ablesekarte.txt", "text/plain"),
    ]
    assert msg.attachments[1].data.decode() == (
        "From: Groß, Clara <clara.gross@firma.example>\nTo: service@stadtwerk.example\n"
        "Date: 2026-05-04 16:30 +0000\nSubject: Zählerstand Gewerbeanschluss\n\n"
        "Sehr geehrte Damen und Herren,\nanbei der Zählerstand vom 30. April.\nClara Groß\n"
    )
    assert msg.attachments[2].data == "Zähler;Stand;Datum\r\n4711;12345;30.04.2026\r\n".encode("cp1252")
    assert msg.attachments[3].data.startswith(b"%PDF-1.4") and len(msg.attachments[3].data) == 5197
    assert msg.attachments[5].data == "Zähler 4711\r\n".encode("cp1252")


@pytest.mark.nodb
def test_an_outlook_item_saved_by_outlook_gives_the_text_of_a_mail_without_its_own():
    """The item in fixtures/outlook__msg_only.eml is Outlook's own file: example-msg-files/strangeDate.msg of
    TeamMsgExtractor/msg-extractor (GPL-3.0), an example file of the format without a sender or a date."""
    msg = parse(fixture("outlook__msg_only.eml"), {})
    assert msg.text.startswith("To: time2talk@online-convert.com\nSubject: MSG Test File\n\nMSG test file\nPurpose:")
    assert [a.filename for a in msg.attachments] == ["MSG Test File.msg", "MSG Test File.txt"]


@pytest.mark.nodb
def test_a_damaged_outlook_item_or_another_office_file_is_kept_as_it_is():
    from .outlook_item import compound_file, wrapped

    raw = fixture("outlook__msg_forwarded.eml")
    item = parse(raw, {}).attachments[0].data
    damaged = wrapped(item[:1500], "kaputt.msg", "Anbei.\n", "d@firma.example", "WG: kaputt")
    assert [a.filename for a in parse(damaged, {}).attachments] == ["kaputt.msg"]
    word = compound_file({"WordDocument": b"\0" * 600, "\x05SummaryInformation": b"\0" * 100})
    other = wrapped(word, "brief.msg", "Anbei.\n", "w@firma.example", "WG: Brief")
    assert [a.filename for a in parse(other, {}).attachments] == ["brief.msg"]


def test_an_outlook_item_reaches_the_case_with_its_files(agents):
    inbound = deliver(fixture("outlook__msg_only.eml"))
    assert inbound.state == InboundState.DONE, (inbound.stage, inbound.reason)
    message = Message.objects.get(inbound=inbound)
    assert message.body_text.startswith("To: time2talk@online-convert.com")
    assert sorted(a.filename for a in message.attachments.all()) == ["MSG Test File.msg", "MSG Test File.txt"]


@pytest.mark.nodb
def test_a_pgp_signed_mail_shows_its_text_and_keeps_the_signature():
    msg = parse(fixture("pgp__signed.eml"), {})
    assert msg.text == "Guten Tag,\n\nmein Zählerstand am 30. April: 12345 kWh.\n\nGrüße\nJana Krüger"
    assert [(a.filename, a.content_type) for a in msg.attachments] == [("signature.asc", "application/pgp-signature")]
