"""German and English from day one: the catalogues are complete and compiled, pages and mails follow the language."""

from __future__ import annotations

import ast
import gettext
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from anliegen.core.models import Case

LOCALE = Path(settings.LOCALE_PATHS[0])
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdr]")


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def read_po(path: Path) -> list[Entry]:
    """A small .po reader: enough for the catalogues makemessages writes (no dependency for one test)."""
    entries: list[Entry] = []
    entry, key = Entry(), ""
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if key:
                entries.append(entry)
            entry, key = Entry(), ""
        elif line.startswith("#~"):
            entry.obsolete = True
        elif line.startswith("#,"):
            entry.flags |= {flag.strip() for flag in line[2:].split(",")}
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            _append(entry, key, ast.literal_eval(line))
        else:
            key, _, value = line.partition(" ")
            _append(entry, key, ast.literal_eval(value), start=True)
    return [e for e in entries if not e.obsolete]


def _append(entry: Entry, key: str, text: str, start: bool = False) -> None:
    if key.startswith("msgstr"):
        index = int(key[7:-1]) if "[" in key else 0
        entry.msgstr[index] = ("" if start else entry.msgstr.get(index, "")) + text
    else:
        attr = key.replace("-", "_")
        setattr(entry, attr, text if start else (getattr(entry, attr) or "") + text)


def messages(language: str) -> list[Entry]:
    return [e for e in read_po(LOCALE / language / "LC_MESSAGES" / "django.po") if e.msgid]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # the web form's rate limits live in the cache
    yield
    cache.clear()


@pytest.mark.parametrize("language", ["de", "en"])
def test_catalogue_is_compiled_and_loads(language):
    mo = LOCALE / language / "LC_MESSAGES" / "django.mo"
    assert mo.is_file(), f"run compilemessages: {mo} is missing"
    with mo.open("rb") as f:
        catalogue = gettext.GNUTranslations(f)
    assert catalogue.info()["language"] == language


def test_german_catalogue_is_complete_and_not_fuzzy():
    entries = messages("de")
    assert len(entries) > 400
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    untranslated = [e.msgid for e in entries if not all(e.msgstr.get(i) for i in range(2 if e.msgid_plural else 1))]
    assert fuzzy == [], fuzzy
    assert untranslated == [], untranslated


def test_german_translations_keep_every_placeholder():
    wrong = [
        (e.msgid, text)
        for e in messages("de")
        for text in e.msgstr.values()
        if set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(e.msgid + (e.msgid_plural or "")))
    ]
    assert wrong == []


def test_compiled_german_catalogue_matches_the_po_file():
    """A stale .mo (someone translated but did not compile) shows English where German was written."""
    with (LOCALE / "de" / "LC_MESSAGES" / "django.mo").open("rb") as f:
        catalogue = gettext.GNUTranslations(f)
    stale = []
    for e in messages("de"):
        if e.msgid_plural is None:
            got = catalogue.pgettext(e.msgctxt, e.msgid) if e.msgctxt else catalogue.gettext(e.msgid)
            if got != e.msgstr[0]:
                stale.append(e.msgid)
        elif catalogue.ngettext(e.msgid, e.msgid_plural, 2) != e.msgstr[1]:
            stale.append(e.msgid)
    assert stale == [], "run compilemessages"


def test_english_catalogue_has_the_same_messages():
    assert {e.msgid for e in messages("en")} == {e.msgid for e in messages("de")}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected", "absent"),
    [
        ("de", ["Nachricht an Stadtwerk Nord", "Ihre Nachricht", "Senden", "Stunden"], "Your message"),
        ("en", ["Write to Stadtwerk Nord", "Your message", "Send", "hours"], "Ihre Nachricht"),
    ],
)
def test_web_form_speaks_the_browser_language(brand, language, expected, absent):
    response = Client(HTTP_ACCEPT_LANGUAGE=language).get(reverse("portal:form", args=[brand.slug]))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<html lang="{language}">' in html
    for text in expected:
        assert text in html
    assert absent not in html


def _send_form(brand, language: str, subject: str, text: str) -> Case:
    data = {
        "name": "Jana Krüger",
        "email": "jana@example.org",
        "phone": "",
        "subject": subject,
        "text": text,
        "website": "",
        "submission": str(uuid.uuid4()),
    }
    response = Client(HTTP_ACCEPT_LANGUAGE=language).post(reverse("portal:form", args=[brand.slug]), data)
    assert response.status_code == 302
    return Case.objects.get()


def test_confirmation_of_a_german_case_is_german(brand, agents, tasks):
    case = _send_form(brand, "de", "Fernseher schwarz", "Seit heute Abend ist mein Fernseher schwarz, kein Signal.")
    assert case.language == "de"
    tasks()
    [sent] = mail.outbox
    assert sent.subject.startswith("Ihr Anliegen: Fernseher schwarz")  # then the [Ref …] tag for threading
    assert sent.body.startswith("Guten Tag Jana Krüger,")
    assert f"Ich bin {case.owner.name} und kümmere mich persönlich um Ihr Anliegen „Fernseher schwarz“." in sent.body
    assert "Durchwahl" in sent.body and "bis spätestens" in sent.body
    assert "kümmere mich persönlich" in sent.alternatives[0][0]
    assert "looking after" not in sent.body


def test_confirmation_of_an_english_case_is_english(brand, agents, tasks):
    case = _send_form(brand, "en", "TV is black", "Since tonight my TV is black, no signal. Please help.")
    assert case.language == "en"
    tasks()
    [sent] = mail.outbox
    assert sent.subject.startswith("Your request: TV is black")
    assert sent.body.startswith("Hello Jana Krüger,")
    assert f'I am {case.owner.name} and I am looking after your request "TV is black" personally.' in sent.body
    assert "extension" in sent.body and "at the latest" in sent.body
    assert "kümmere" not in sent.body
