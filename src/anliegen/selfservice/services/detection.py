"""Incident detection: a burst of contacts about one area or one word, against the normal rate for that hour of
the week, becomes a proposal to supervisors with its evidence.

The core (`find_bursts`) is a pure function over (time, text) events, so it can be measured on a generated
labelled stream (tests/selfservice/test_detection.py) as well as run on the cases of a brand (`detect`).
Each event counts for its area (the first three digits of a postcode in the text) and for each of its words.
A key is a burst when the last WINDOW holds at least MIN_COUNT events and, under a Poisson model with the key's
mean count in the same hour of the week over the last HISTORY_WEEKS, that many would happen less than once in
1/P_VALUE windows.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from anliegen.core.services.incidents import postcodes, stems

WINDOW = timedelta(hours=1)
HISTORY_WEEKS = 4
MIN_COUNT = 6
P_VALUE = 1e-6
PRIOR = 0.3  # events per window assumed for a key never seen before (a new word is not by itself a burst)


@dataclass
class Burst:
    key: str  # "area:224" or "word:signal"
    observed: int
    expected: float
    events: list[int] = field(default_factory=list)  # indexes (or ids) of the events in the window
    words: list[str] = field(default_factory=list)
    area: str = ""


def keys(text: str) -> set[str]:
    found = {f"area:{code[:3]}" for code in postcodes(text)}
    found |= {f"word:{w}" for w in stems(text)}
    return found


def hour_of_week(moment: datetime) -> int:
    return moment.weekday() * 24 + moment.hour


class Baseline:
    """Mean count per key and hour of the week over the history before `now`."""

    def __init__(self, history: Iterable[tuple[datetime, str]], weeks: int = HISTORY_WEEKS) -> None:
        self.weeks = weeks
        self.counts: dict[tuple[int, str], int] = Counter()
        for moment, text in history:
            how = hour_of_week(moment)
            for key in keys(text):
                self.counts[(how, key)] += 1

    def expected(self, moment: datetime, key: str) -> float:
        return self.counts.get((hour_of_week(moment), key), 0) / self.weeks


def poisson_tail(k: int, mean: float) -> float:
    """P(X >= k) for X ~ Poisson(mean)."""
    term = math.exp(-mean)
    below = 0.0
    for i in range(k):
        below += term
        term *= mean / (i + 1)
    return max(0.0, 1.0 - below)


def find_bursts(window: list[tuple[int, str]], now: datetime, baseline: Baseline) -> list[Burst]:
    """Bursts among `window` (id, text) events of the last WINDOW before `now`, strongest first, one per group.

    An area burst carries the words its events share; a word burst whose events mostly share an area is
    reported as that area's burst, so one outage gives one proposal.
    """
    by_key: dict[str, list[int]] = defaultdict(list)
    texts = dict(window)
    for event_id, text in window:
        for key in keys(text):
            by_key[key].append(event_id)
    bursts = []
    middle = now - WINDOW / 2  # the window's own hour of the week, not the one that starts at `now`
    for key, ids in by_key.items():
        if len(ids) < MIN_COUNT:
            continue
        expected = max(baseline.expected(middle, key), PRIOR)
        if poisson_tail(len(ids), expected) < P_VALUE:
            bursts.append(Burst(key, len(ids), expected, ids))
    bursts.sort(key=lambda b: (-b.observed / b.expected, b.key))
    return _grouped(bursts, texts)


def _grouped(bursts: list[Burst], texts: dict[int, str]) -> list[Burst]:
    kept: list[Burst] = []
    claimed: set[int] = set()
    for burst in sorted(bursts, key=lambda b: (not b.key.startswith("area:"), -b.observed)):
        fresh = [i for i in burst.events if i not in claimed]
        if len(fresh) < MIN_COUNT:
            continue  # mostly the events of a stronger burst already reported
        claimed.update(burst.events)
        words = Counter(w for i in burst.events for w in stems(texts[i]))
        burst.words = [w for w, n in words.most_common(6) if n >= len(burst.events) // 2]
        areas = Counter(c[:3] for i in burst.events for c in postcodes(texts[i]))
        burst.area = burst.key[5:] if burst.key.startswith("area:") else (areas.most_common(1)[0][0] if areas else "")
        kept.append(burst)
    return kept
