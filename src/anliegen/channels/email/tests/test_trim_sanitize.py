"""Quote/signature trimming for display and HTML sanitising."""

from __future__ import annotations

import pytest

from anliegen.channels.email.sanitize import clean_html
from anliegen.channels.email.trim import visible_text


@pytest.mark.parametrize(
    ("text", "visible"),
    [
        ("Danke!\n\nAm 03.05.2026 um 10:00 schrieb Anna Schmidt <anna@x.de>:\n> Hallo", "Danke!"),
        ("Thanks\n\nOn Mon, May 4, 2026 at 10:00 AM Anna <a@b.example>\nwrote:\n> hi", "Thanks"),
        ("Ok\n\n-----Ursprüngliche Nachricht-----\nVon: x\nAn: y", "Ok"),
        ("Ok\n\n-----Original Message-----\nFrom: x", "Ok"),
        ("Passt.\n\nVon: Anna <a@b.example>\nGesendet: Montag, 4. Mai\nAn: Jana\nBetreff: Zähler\n\nText", "Passt."),
        ("Yes.\n\nFrom: Anna <a@b.example>\nSent: Monday\nTo: Jana\nSubject: Meter\n\nText", "Yes."),
        ("Gruß\nJana\n-- \nJana Krüger\nTel 040 123", "Gruß\nJana"),
        ("Bis bald\n\nVon meinem iPhone gesendet", "Bis bald"),
    ],
)
def test_quotes_and_signatures_are_split_off(text, visible):
    shown, rest = visible_text(text)
    assert shown == visible
    assert rest and rest in text


def test_interleaved_answers_stay_whole_and_nothing_is_lost():
    text = "> Wann kommen Sie?\nMorgen um 10.\n> Und der Zähler?\nWird getauscht."
    assert visible_text(text) == (text, "")
    assert visible_text("> nur ein Zitat") == ("> nur ein Zitat", "")
    assert visible_text("") == ("", "")


def test_a_line_starting_with_from_inside_the_text_is_not_a_quote():
    text = "Von: meinem Konto wurde doppelt abgebucht.\nBitte prüfen."
    assert visible_text(text) == (text, "")


def test_sanitiser_removes_active_content_and_defers_remote_images():
    html = clean_html(
        '<div onclick="x()" style="background:url(https://t.example/a)">Hi<script>alert(1)</script>'
        '<img src="https://t.example/p.gif" alt="p"><img src="//t.example/q.gif"><img src="cid:logo@x">'
        '<a href="javascript:alert(1)">a</a><a href="https://ok.example/">b</a>'
        '<iframe src="https://evil.example"></iframe><form><input name=x></form>'
        '<svg onload="x()"></svg><img src="x" onerror="alert(1)" data-remote-src="javascript:alert(1)"></div>'
    )
    for bad in ("onclick", "<script", "style=", "javascript:", "<iframe", "<form", "<input", "<svg", "onerror"):
        assert bad not in html
    assert ' src="https://t.example' not in html and ' src="//t.example' not in html
    assert 'data-remote-src="https://t.example/p.gif"' in html
    assert 'src="cid:logo@x"' in html
    assert 'href="https://ok.example/"' in html and 'rel="noopener noreferrer nofollow"' in html
