"""Contact hits: the newest contacts' window and the full matches of an address find what reading every contact finds;
full pages skip message bodies."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from anliegen.search import postgres
from anliegen.search.services import search

LIMIT = 3
EVERYTHING = 10**9  # a window wider than the table: every contact is read, as before there were windows


@pytest.fixture
def contact_window(monkeypatch):
    def set_span(span: int) -> None:
        monkeypatch.setattr(postgres, "BUCKET", 1)  # buckets of single contact ids in a table of dozens
        monkeypatch.setattr(postgres, "CONTACT_SPAN", span)
        # The whole table as the window: every text read as one word, i.e. every contact at the configured threshold.
        monkeypatch.setattr(postgres, "ONE_WORD", re.compile(".*") if span == EVERYTHING else postgres.ONE_WORD)

    return set_span


@pytest.fixture
def people(brand, agents, other_brand, make_case) -> None:
    """Old contacts found only by address or typo, then surnames spread among others, and another brand's."""
    make_case(brand, "Zähler", "Bitte ablesen.", name="Jana Krüger", email="jana.krueger@example.org")
    make_case(brand, "Vertrag", "Frage.", name="Jonas Becker", email="j.b@example.org")
    for i in range(8):
        make_case(brand, f"Umzug {i}", "Ich ziehe um.", name=f"Person {i}")
        make_case(brand, f"Rechnung {i}", "Bitte prüfen.", name="Paul Lehmann" if i % 3 else "Lena Lehmann-Schulz")
    make_case(brand, "Router", "Kein Signal.", name="Lehman Braun", email="lehman@example.org")
    make_case(other_brand, "Rechnung", "Falsch.", name="Paul Lehmann")


QUERIES = ["Lehmann", "Lehman", "Lehmann-Schulz", "krueger@example", "Krüger", "jonas becker", "mann", "nobody"]
QUERIES += ["paul.lehmann", "paul.lehman", "lena.lehmann", "paul lehmann", "Rechnung Lehmann"]


def _results(agents, text: str) -> list[tuple]:
    return [(h.case_id, h.source, round(h.score, 6), str(h.snippet)) for h in search(agents["anna"], text, LIMIT)]


@pytest.mark.parametrize("span", [2, 5, 12])
def test_the_window_finds_what_reading_every_contact_finds(people, agents, contact_window, span):
    contact_window(EVERYTHING)
    expected = {text: _results(agents, text) for text in QUERIES}
    contact_window(span)
    assert {text: _results(agents, text) for text in QUERIES} == expected
    assert [source for _, source, *_ in expected["Lehmann"]] == ["contact"] * LIMIT
    assert expected["nobody"] == []


def test_a_common_name_is_answered_by_the_window_alone(people, agents, contact_window):
    contact_window(12)
    with CaptureQueriesContext(connection) as ctx:
        hits = search(agents["anna"], "Lehmann", LIMIT)
    assert len(hits) == LIMIT and {h.source for h in hits} == {"contact"}
    reads = [q["sql"] for q in ctx.captured_queries if "word_similarity" in q["sql"]]
    assert len(reads) == 1 if connection.vendor == "postgresql" else len(reads) == 0


def test_message_bodies_are_read_only_when_the_page_is_not_full(brand, agents, make_case):
    contacts = [
        make_case(brand, f"Frage {i}", "Ich habe eine Frage.", name=f"Eva Lehmann {i}").pk for i in range(LIMIT)
    ]
    mentioned = make_case(brand, "Anruf", "Herr Lehmann hat angerufen.", name="Max Meier").pk
    with CaptureQueriesContext(connection) as ctx:
        full = search(agents["anna"], "Lehmann", LIMIT)
    assert [h.case_id for h in full] == contacts[::-1]
    bodies = ("case_id, search_tsv FROM core_message", "search_message_fts")  # PostgreSQL's, SQLite's read of bodies
    assert not [q for q in ctx.captured_queries if any(b in q["sql"] for b in bodies)]
    wider = search(agents["anna"], "Lehmann", LIMIT + 2)
    assert [(h.case_id, h.source) for h in wider] == [(c, "contact") for c in contacts[::-1]] + [(mentioned, "message")]


def test_an_address_of_a_common_name_reads_only_the_full_matches(brand, agents, make_case):
    named = [make_case(brand, "Frage", name="Anna Zimmermann").pk for _ in range(2)]
    addressed = make_case(brand, "Zähler", name="A. Zimmermann", email="anna.zimmermann@example.org").pk
    make_case(brand, "Router", name="Hanna Zimmermann")  # the newest, similar but not the text: ranks below
    with CaptureQueriesContext(connection) as ctx:
        hits = search(agents["anna"], "anna.zimmermann", LIMIT)
    pg = connection.vendor == "postgresql"  # SQLite matches substrings only: the names do not hold the address
    expected = [addressed, *named[::-1]] if pg else [addressed]
    assert [(h.case_id, h.source) for h in hits] == [(c, "contact") for c in expected]
    assert "<mark>anna.zimmermann</mark>" in str(hits[0].snippet)
    if pg:
        reads = [q["sql"] for q in ctx.captured_queries if "word_similarity(" in q["sql"]]
        assert len(reads) == 1 and "word_similarity_threshold = 1;" in reads[0]


def test_after_full_matches_a_typo_is_read_at_the_configured_threshold(brand, agents, make_case):
    """In one transaction (a test, or a request in ATOMIC_REQUESTS) the exact read's threshold must not stay behind."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite matches substrings only, not similar words")
    cases = [make_case(brand, "Frage", name="Anna Zimmermann").pk for _ in range(LIMIT)]
    assert [h.case_id for h in search(agents["anna"], "anna.zimmermann", LIMIT)] == cases[::-1]
    for typo in ("anna.zimermann", "anna zimermann", "Zimermann"):
        assert [h.case_id for h in search(agents["anna"], typo, LIMIT)] == cases[::-1]
