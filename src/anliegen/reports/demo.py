"""Demo history: service-level targets and a month of handled cases, so the reports show something real.

The month is written straight to the tables (no mail goes out for history): cases on every channel with their
confirmation, answers, solutions, promises, ratings and contact-form visits, at fixed random times before now.
Loading twice changes nothing: the history's customers have addresses at HISTORY_DOMAIN.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from anliegen.core.models import (
    Agent,
    Brand,
    Case,
    CaseEvent,
    Contact,
    Direction,
    Identity,
    Incident,
    Message,
    MessageKind,
)
from anliegen.csat.models import Survey
from anliegen.promises.models import Promise
from anliegen.selfservice.models import Deflection
from anliegen.sla import clocks
from anliegen.sla.models import Target

HISTORY_DOMAIN = "verlauf.example"
DAYS = 30
CHANNELS = [("email", 45), ("webform", 20), ("phone", 15), ("chat", 10), ("whatsapp", 6), ("x", 4)]
SUBJECTS = [
    ("de", "Rechnung doppelt abgebucht"), ("de", "Router blinkt rot"), ("de", "Umzug zum Monatsende"),
    ("de", "Kein Signal auf Sender 12"), ("de", "Techniker kam nicht"), ("de", "Vertrag kündigen"),
    ("en", "Invoice looks wrong"), ("en", "Internet drops every evening"), ("en", "Moving house"),
]  # fmt: skip
NAMES = ["Jana Krüger", "Murat Aydın", "Petra Lange", "Tom Becker", "Sofia Rossi", "Ali Demir", "Eva Schulz"]
TARGETS = [  # (channel, confirmation, first human answer, resolution) in service minutes
    ("", 5, 240, 1440),
    ("chat", 1, 10, 120),
    ("phone", 1, 60, 480),
    ("x", 15, 60, 600),
]


def ensure_targets(brand: Brand) -> None:
    for channel, confirm, answer, resolve in TARGETS:
        Target.objects.get_or_create(
            brand=brand,
            channel=channel,
            defaults={"confirm_minutes": confirm, "answer_minutes": answer, "resolve_minutes": resolve},
        )


@transaction.atomic
def load(brand: Brand, now: datetime | None = None) -> int:
    """Targets, then the month of history once; returns how many history cases were added."""
    ensure_targets(brand)
    if Identity.objects.filter(brand=brand, value__endswith=f"@{HISTORY_DOMAIN}").exists():
        return 0
    owners = list(Agent.objects.filter(memberships__brand=brand, memberships__role="agent").order_by("pk"))
    if not owners:
        return 0
    rng = random.Random(14)
    now = now or timezone.now()
    incident = Incident.objects.filter(brand=brand).order_by("pk").first()
    made = 0
    for day in range(DAYS, 0, -1):
        for _ in range(rng.randint(3, 7)):
            opened = now - timedelta(days=day, hours=rng.randint(0, 10), minutes=rng.randint(0, 59))
            _case(brand, rng, made, opened, rng.choice(owners), incident, now)
            made += 1
        for visit in range(rng.randint(2, 5)):
            row = Deflection.objects.create(
                brand=brand, visit=f"history-{day}-{visit}", outcome=rng.choice(["shown", "solved", "solved", "sent"])
            )
            Deflection.objects.filter(pk=row.pk).update(created_at=now - timedelta(days=day, hours=visit))
    clocks.start_missing(limit=10 * made)
    clocks.advance(limit=10 * made)
    return made


def _case(brand: Brand, rng: random.Random, n: int, opened: datetime, owner: Agent, incident, now: datetime) -> None:  # noqa: ANN001
    language, subject = rng.choice(SUBJECTS)
    channel = rng.choices([c for c, _w in CHANNELS], [w for _c, w in CHANNELS])[0]
    contact = Contact.objects.create(brand=brand, name=rng.choice(NAMES), language=language)
    Identity.objects.create(contact=contact, brand=brand, kind="email", value=f"kunde{n}@{HISTORY_DOMAIN}")
    age = now - opened
    solved = age > timedelta(days=2) and rng.random() < 0.9
    state = "solved" if solved else rng.choice(["open", "open", "waiting"])
    linked = incident if incident is not None and rng.random() < 0.1 else None
    case = Case.objects.create(
        brand=brand, contact=contact, owner=owner, subject=subject, state=state, language=language,
        preferred_channel=channel, incident=linked,
    )  # fmt: skip
    times = [(opened, Direction.IN, MessageKind.MESSAGE, None)]
    times.append((opened + timedelta(seconds=rng.randint(3, 400)), Direction.OUT, MessageKind.CONFIRMATION, owner))
    answer = opened + timedelta(minutes=rng.choice([8, 25, 50, 90, 180, 300, 600, 1300]))
    if answer < now:
        times.append((answer, Direction.OUT, MessageKind.MESSAGE, owner))
        if rng.random() < 0.35:
            times.append((answer + timedelta(hours=rng.randint(2, 20)), Direction.OUT, MessageKind.MESSAGE, owner))
    messages = [
        Message(case=case, brand=brand, channel=channel, direction=d, kind=k, author_agent=a, body_text=subject)
        for _at, d, k, a in times
    ]
    Message.objects.bulk_create(messages)
    for message, (at, *_rest) in zip(messages, times, strict=True):
        message.created_at = at
    Message.objects.bulk_update(messages, ["created_at"])  # bulk_update keeps the history's times
    closed = max(at for at, *_rest in times) + timedelta(minutes=rng.randint(5, 600))
    if solved:
        event = CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.STATE, actor=owner, data={"to": "solved"})
        CaseEvent.objects.filter(pk=event.pk).update(created_at=closed)
        _survey(case, rng, channel, owner, closed)
    if rng.random() < 0.2:
        _promise(case, rng, owner, opened, now)
    Case.objects.filter(pk=case.pk).update(created_at=opened, updated_at=closed if solved else max(t[0] for t in times))


def _survey(case: Case, rng: random.Random, channel: str, owner: Agent, solved_at: datetime) -> None:
    # Every solved history case was asked (so the live question is not sent for it); about half answered.
    asked = solved_at + timedelta(minutes=1)
    answered = rng.random() < 0.55
    score = rng.choices([1, 2, 3, 4, 5], [4, 6, 12, 35, 43])[0] if answered else None
    Survey.objects.create(
        case=case, brand=case.brand, agent=owner, channel=channel, asked_at=asked, score=score,
        answered_at=asked + timedelta(hours=2) if answered else None,
    )  # fmt: skip


def _promise(case: Case, rng: random.Random, owner: Agent, opened: datetime, now: datetime) -> None:
    callback = rng.random() < 0.5
    due = opened + timedelta(hours=rng.randint(2, 48))
    state = "open" if due > now else rng.choices(["kept", "broken"], [82, 18])[0]
    on_time = rng.random() < 0.85
    Promise.objects.create(
        case=case, brand=case.brand, owner=owner, created_by=owner,
        kind="callback" if callback else "credit", amount_cents=None if callback else rng.choice([500, 1000, 2500]),
        text="", due_at=due, window_end=due + timedelta(hours=1) if callback else None, state=state,
        closed_at=(due - timedelta(minutes=30) if on_time else due + timedelta(hours=5)) if state == "kept" else None,
    )  # fmt: skip
