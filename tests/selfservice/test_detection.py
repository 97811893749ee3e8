"""Incident detection on a generated labelled stream: normal traffic with its daily rhythm plus injected outages.

Precision (proposals that point at a real outage's area) and recall (outages proposed while they last) are
printed and must stay above the floors below.
"""

from __future__ import annotations

import bisect
import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from anliegen.selfservice.services.detection import WINDOW, Baseline, find_bursts, poisson_tail

pytestmark = pytest.mark.nodb

START = datetime(2026, 9, 7, tzinfo=UTC)  # a Monday
AREAS = [f"{n:03d}" for n in range(201, 241)]
EVERYDAY = [
    "Frage zu meiner Rechnung vom letzten Monat",
    "Ich ziehe um und möchte meinen Vertrag mitnehmen",
    "Wie ändere ich das WLAN-Passwort am Router?",
    "Die Gutschrift fehlt noch auf der Rechnung",
    "Kein Signal am Fernseher seit gestern, bitte Techniker schicken",
    "Internet ist manchmal langsam am Abend",
    "Please send me a copy of my contract",
    "My invoice shows a fee I do not understand",
    "Termin für den Techniker verschieben",
    "Receiver zeigt eine Fehlermeldung beim Start",
]
OUTAGE_TEXTS = [
    "Kein Signal am Fernseher, alle Sender schwarz. PLZ {code}",
    "Fernseher schwarz seit einer Stunde, {code} Hamburg",
    "TV has no signal since this evening, postcode {code}",
    "Internet geht nicht, Router blinkt rot, {code}",
    "Kein Internet mehr seit einer Stunde in {code}",
]


@dataclass
class Outage:
    area: str
    start: datetime
    end: datetime


def rate(moment: datetime) -> float:
    """Contacts per hour: busy evenings, quiet nights, calmer weekends."""
    base = 14 if 8 <= moment.hour < 22 else 3
    return base * (0.7 if moment.weekday() >= 5 else 1.0)


def stream(seed: int, weeks: int = 8, outages: int = 10) -> tuple[list[tuple[datetime, str]], list[Outage]]:
    rng = random.Random(seed)
    events: list[tuple[datetime, str]] = []
    moment = START
    end = START + timedelta(weeks=weeks)
    while moment < end:
        for _ in range(_poisson(rng, rate(moment) / 4)):
            text = rng.choice(EVERYDAY)
            if rng.random() < 0.6:
                text += f" ({rng.choice(AREAS)}{rng.randint(10, 99)})"
            events.append((moment + timedelta(seconds=rng.uniform(0, 900)), text))
        moment += timedelta(minutes=15)
    injected = []
    first = START + timedelta(weeks=weeks // 2)
    for _ in range(outages):
        start = first + timedelta(hours=rng.uniform(0, (weeks // 2) * 7 * 24 - 4))
        outage = Outage(rng.choice(AREAS), start, start + timedelta(hours=rng.uniform(1.5, 3)))
        per_hour = rng.uniform(8, 20)
        t = outage.start
        while t < outage.end:
            t += timedelta(hours=rng.expovariate(per_hour))
            text = rng.choice(OUTAGE_TEXTS).format(code=f"{outage.area}{rng.randint(10, 99)}")
            events.append((t, text))
        injected.append(outage)
    events.sort()
    return events, injected


def _poisson(rng: random.Random, mean: float) -> int:
    k, p, limit = 0, 1.0, pow(2.718281828, -mean)
    while True:
        p *= rng.random()
        if p < limit:
            return k
        k += 1


def evaluate(seed: int) -> tuple[int, int, int, int]:
    """Learn the normal rates from the first four weeks, then look every 30 minutes during the last four."""
    events, injected = stream(seed)
    evaluated_from = START + timedelta(weeks=4)
    baseline = Baseline((t, x) for t, x in events if t < evaluated_from)
    times = [t for t, _ in events]
    tp = fp = 0
    found: set[int] = set()
    reported: dict[str, datetime] = {}
    now = evaluated_from
    while now < START + timedelta(weeks=8):
        lo, hi = bisect.bisect_left(times, now - WINDOW), bisect.bisect_left(times, now)
        window = [(i, events[i][1]) for i in range(lo, hi)]
        for burst in find_bursts(window, now, baseline):
            key = burst.area or burst.key
            if key in reported and now - reported[key] < timedelta(hours=3):
                continue  # an open proposal for the same thing is updated, not repeated
            reported[key] = now
            hits = [n for n, o in enumerate(injected) if o.area == burst.area and o.start <= now <= o.end + WINDOW]
            if hits:
                tp += 1
                found.update(hits)
            else:
                fp += 1
        now += timedelta(minutes=30)
    return tp, fp, len(found), len(injected)


def test_poisson_tail():
    assert poisson_tail(0, 3.0) == 1.0
    assert abs(poisson_tail(1, 2.0) - (1 - 0.1353352832)) < 1e-9


@pytest.mark.slow
def test_precision_and_recall_on_a_labelled_stream(capsys):
    tp = fp = found = injected = 0
    for seed in (1, 2):
        a, b, c, d = evaluate(seed)
        tp, fp, found, injected = tp + a, fp + b, found + c, injected + d
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = found / injected
    with capsys.disabled():
        print(f"\nincident detection on 2 x 8 weeks (4 weeks history): {injected} outages, {tp + fp} proposals,"
              f" precision {precision:.2f}, recall {recall:.2f}")  # fmt: skip
    assert precision >= 0.8
    assert recall >= 0.8
