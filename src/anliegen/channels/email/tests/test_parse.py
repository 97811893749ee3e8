"""Parsing real-looking mail: charsets, encodings, MIME shapes, attachments, broken input."""

from __future__ import annotations

import re

import pytest

from anliegen.channels.email.charsets import decode_bytes
from anliegen.channels.email.parse import parse
from anliegen.intake.context import Quarantine

from .conftest import fixture


def test_latin1_quoted_printable_and_rfc2047():
    msg = parse(fixture("plain__latin1_qp.eml"), {})
    assert msg.subject == "Stromzähler läuft rückwärts"
    assert msg.sender_name == "Jürgen Müller"
    assert msg.identities == [("email", "juergen.mueller@example.org")]
    assert "läuft seit gestern rückwärts" in msg.text
    assert msg.external_id == "20260504091158.4711@example.org"
    assert msg.recipients == ["service@stadtwerk.example"]
    assert not msg.automatic


def test_multipart_alternative_keeps_text_and_sanitised_html():
    msg = parse(fixture("alternative__utf8.eml"), {})
    assert msg.subject == "Abschlag für Juni zu hoch"
    assert "180 €" in msg.text
    assert "<b>180 €</b>" in msg.html
    assert msg.attachments == []


def test_html_only_mail_gets_derived_text_and_no_script_or_tracker():
    msg = parse(fixture("html_only__tracking.eml"), {})
    assert "my internet has been down since this morning" in msg.text
    assert "alert" not in msg.text
    for bad in ("<script", "onload", "javascript:", "<style"):
        assert bad not in msg.html
    assert not re.search(r'\ssrc="https://tracker', msg.html)
    assert 'data-remote-src="https://tracker.example.net/open.gif?u=paul"' in msg.html
    assert 'href="https://status.example.net/"' in msg.html


def test_inline_image_is_an_attachment_with_content_id():
    msg = parse(fixture("related__inline_image.eml"), {})
    assert msg.text.startswith("Hier das Foto vom Zählerkasten")
    assert 'src="cid:zaehler-1@example.org"' in msg.html
    [image] = msg.attachments
    assert (image.filename, image.content_type, image.content_id, image.inline) == (
        "zaehler.png",
        "image/png",
        "zaehler-1@example.org",
        True,
    )
    assert image.data.startswith(b"\x89PNG")


def test_attachment_with_rfc2231_name_type_and_size():
    msg = parse(fixture("mixed__pdf_attachment.eml"), {})
    [pdf] = msg.attachments
    assert pdf.filename == "Rechnung März.pdf"
    assert pdf.content_type == "application/pdf"
    assert pdf.data.startswith(b"%PDF-1.4") and len(pdf.data) == 24 + 1024
    assert not pdf.inline


def test_outlook_tnef_is_listed_as_winmail_dat():
    msg = parse(fixture("outlook__winmail_dat.eml"), {})
    assert msg.sender_name == "Groß, Clara"
    assert "Zählerstand für unseren Gewerbeanschluss" in msg.text
    assert [(a.filename, a.content_type) for a in msg.attachments] == [("winmail.dat", "application/ms-tnef")]
    assert msg.language == "de"


def test_smime_signed_mail_keeps_text_and_signature():
    msg = parse(fixture("smime__signed.eml"), {})
    assert "cancel my contract" in msg.text
    assert [a.filename for a in msg.attachments] == ["smime.p7s"]


def test_broken_message_is_quarantined_with_a_reason():
    with pytest.raises(Quarantine, match="no header lines"):
        parse(fixture("broken__no_headers.eml"), {})
    with pytest.raises(Quarantine, match="empty"):
        parse(b"  \r\n", {})


def test_raw_8bit_headers_and_lying_charsets():
    raw = (
        b"From: Wilhelmsen H\xe5vard <hw@example.org>\r\nSubject: \xf4\xc5\xd3\xd4 \xd4\xc5\xd3\xd4\r\n"
        b"Message-ID: <x1@example.org>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGr\xfc\xdfe\r\n"
    )
    msg = parse(raw, {})
    assert msg.sender_name == "Wilhelmsen Håvard"
    assert msg.subject == "Тест тест"  # KOI8-R without a label
    assert msg.text.strip() == "Grüße"  # labelled UTF-8, really Windows-1252


def test_unknown_charset_labels_and_encoded_words():
    raw = (
        b"From: =?ks_c_5601-1987?B?sKGzqrTZ?= <kim@example.kr>\r\nSubject: =?x-unknown?Q?caf=E9?= =?gb2312?B?suLK1A==?=\r\n"
        b"Message-ID: <k1@example.kr>\r\nContent-Type: text/plain; charset=gb2312\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"suLK1A==\r\n"
    )
    msg = parse(raw, {})
    assert msg.sender_name == "가나다"
    assert msg.subject == "café测试"
    assert msg.text == "测试"


def test_uuencoded_file_in_text_becomes_attachment():
    import binascii

    line = binascii.b2a_uu(b"hello world").decode()
    raw = (
        f"From: a@example.org\r\nMessage-ID: <u1@x>\r\n\r\nSee file\r\nbegin 644 note.txt\r\n{line}`\r\nend\r\nbye\r\n"
    )
    msg = parse(raw.encode(), {})
    assert [(a.filename, a.data) for a in msg.attachments] == [("note.txt", b"hello world")]
    assert "begin 644" not in msg.text and "[note.txt]" in msg.text


def test_message_without_message_id_gets_stable_digest():
    raw = b"From: a@example.org\r\nSubject: hi\r\n\r\nbody\r\n"
    assert parse(raw, {}).external_id == parse(raw, {}).external_id
    assert parse(raw, {}).external_id.startswith("sha256-")


def test_decode_bytes_never_raises():
    for data in (b"\xff\xfe\x00", b"plain", "größe".encode("cp1252"), bytes(range(256))):
        for label in ("", "utf-8", "bogus-charset", "iso-8859-1", "us-ascii", "utf-16"):
            assert isinstance(decode_bytes(data, label), str)
