"""PostgreSQL's bounded candidate set: with more matches than it ranks, it ranks the newest (SQLite ranks all)."""

from __future__ import annotations

import pytest

from anliegen.search import postgres
from anliegen.search.services import search

BOUND = 4


@pytest.fixture
def small_bound(monkeypatch):
    def set_bound(first_span: int) -> None:
        monkeypatch.setattr(postgres, "SCAN_LIMIT", BOUND)
        monkeypatch.setattr(postgres, "BUCKET", 1, raising=False)  # windows of single ids in a table of dozens
        monkeypatch.setattr(postgres, "FIRST_SPAN", first_span, raising=False)

    return set_bound


def _cases(make_case, brand, subject: str, body: str, n: int) -> list[int]:
    """n matching cases, each after a case that does not match (so ids of matches are spread)."""
    ids = []
    for i in range(n):
        make_case(brand, f"Umzug {i}", "Ich ziehe um.")
        ids.append(make_case(brand, subject.format(i), body.format(i)).pk)
    return ids


def _newest_first(found: list[int], ids: list[int], at_least: int) -> bool:
    """The first results are the newest matches, in order, and at least that many of them."""
    shown = found[:BOUND]
    return len(shown) >= at_least and shown == ids[::-1][: len(shown)]


# A first window wider than the table (all matches, the newest BOUND ranked), and one of two ids that is widened
# once, at the rate it found, to three matches (on SQLite every match is ranked).
SPANS = [(1_000_000, BOUND), (2, 3)]


# The word in every subject, or in every message with subjects that do not have it.
WHERE = [("subject", "Rechnung Nummer {}", "Bitte prüfen."), ("message", "Frage {}", "Die Rechnung {} stimmt nicht.")]


@pytest.mark.parametrize(("source", "subject", "body"), WHERE)
@pytest.mark.parametrize(("first_span", "at_least"), SPANS)
def test_matches_beyond_the_bound_rank_the_newest(
    brand, agents, make_case, small_bound, first_span, at_least, source, subject, body
):
    small_bound(first_span)
    ids = _cases(make_case, brand, subject, body, 3 * BOUND)
    hits = search(agents["anna"], "Rechnung")
    assert _newest_first([h.case_id for h in hits], ids, at_least)
    assert {h.source for h in hits} == {source}


def test_a_rare_word_is_found_when_the_newest_window_has_none(brand, agents, make_case, small_bound):
    small_bound(2)
    old = _cases(make_case, brand, "Heizung {}", "Kalt.", BOUND - 1)
    _cases(make_case, brand, "Umzug spät {}", "Ich ziehe um.", 10)
    assert sorted(h.case_id for h in search(agents["anna"], "Heizung")) == old


def test_a_common_word_found_only_before_the_windows_is_still_found(brand, agents, make_case, small_bound):
    small_bound(2)
    old = _cases(make_case, brand, "Heizung {}", "Kalt.", BOUND + 2)
    _cases(make_case, brand, "Umzug spät {}", "Ich ziehe um.", 10)
    found = [h.case_id for h in search(agents["anna"], "Heizung")]
    assert len(found) >= BOUND and set(found) <= set(old)
