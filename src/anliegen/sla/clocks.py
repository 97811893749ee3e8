"""Keeping each case's service-level clock: start it from the brand's targets, record what happened, stop it.

The clock is derived from the case's own record (its messages and state events), so the periodic sweep can
always rebuild it: nothing in the reply or intake path has to remember to tell the clock.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from anliegen.base.prepared import Prepared
from anliegen.core.models import Brand, Case, CaseEvent, CaseState, Direction, Message, MessageKind
from anliegen.core.models.case import OPEN_STATES
from anliegen.core.services import answer_time

from .models import STAGES, Clock, Target

BATCH = 1000
DONE_STATES = (CaseState.SOLVED, CaseState.CLOSED)
HUMAN_KINDS = (MessageKind.MESSAGE, MessageKind.CALL)


def human_answers() -> Q:
    """Messages that are a person's answer to the customer (not a confirmation, not an automatic notice)."""
    return Q(direction=Direction.OUT, kind__in=HUMAN_KINDS, author_agent__isnull=False)


def _first(filter_: Q, case: OuterRef) -> Subquery:
    rows = Message.objects.filter(filter_, case=case).order_by("created_at", "id")
    return Subquery(rows.values("created_at")[:1])


def _record() -> dict:
    """What the case's record says of a clock, as annotations on Clock rows: first confirmation, first human
    answer, the number of human answers and when it was last solved (else its last change)."""
    case_id = OuterRef("case_id")
    solved = CaseEvent.objects.filter(case=case_id, kind=CaseEvent.Kind.STATE, data__to__in=list(DONE_STATES))
    answers = (
        Message.objects.filter(human_answers(), case=case_id)
        .order_by()
        .values("case_id")
        .annotate(n=Count("id"))
        .values("n")
    )
    return {
        "first_confirmation": _first(Q(direction=Direction.OUT, kind=MessageKind.CONFIRMATION), case_id),
        "first_answer": _first(human_answers(), case_id),
        "answer_count": Coalesce(Subquery(answers[:1]), 0),
        "solved_at": Coalesce(
            Subquery(solved.order_by("-created_at", "-id").values("created_at")[:1]), F("case__updated_at")
        ),
    }


def target_for(brand: Brand, channel: str, targets: dict | None = None) -> Target | None:
    """The brand's target for the channel, else its target for every channel, else none."""
    if targets is None:
        targets = {t.channel: t for t in _TARGETS(brand=brand.pk)}
    return targets.get(channel) or targets.get("")


# Read on every case page view: compiled once (base.prepared).
_TARGETS = Prepared(lambda brand: Target.objects.filter(brand_id=brand))
_CLOCK = Prepared(lambda case: Clock.objects.filter(case_id=case)[:1])


def plan(clock: Clock, brand: Brand, target: Target | None) -> None:
    """Set each stage's due and risk moments, counted in the brand's service time from the case's opening."""
    for stage in STAGES:
        minutes = target.minutes(stage) if target else None
        due = risk = None
        if minutes:
            due = answer_time.add(brand, clock.opened_at, timedelta(minutes=minutes))
            risk = answer_time.add(brand, clock.opened_at, timedelta(minutes=minutes * target.risk_percent / 100))
        setattr(clock, f"{stage}_due", due)
        setattr(clock, f"{stage}_risk", risk)


def start_missing(limit: int = BATCH) -> int:
    """Give cases without a clock one (new cases; cases from before the targets existed)."""
    first_in = Message.objects.filter(case=OuterRef("pk"), direction=Direction.IN).order_by("created_at", "id")
    cases = (
        Case.objects.filter(sla__isnull=True)
        .annotate(came_on=Coalesce(Subquery(first_in.values("channel")[:1]), F("preferred_channel")))
        .select_related("brand")
        .order_by("pk")[:limit]
    )
    targets: dict[int, dict] = {}
    clocks = []
    for case in cases:
        by_channel = targets.setdefault(
            case.brand_id, {t.channel: t for t in Target.objects.filter(brand_id=case.brand_id)}
        )
        clock = Clock(
            case=case, brand_id=case.brand_id, owner_id=case.owner_id, channel=case.came_on, opened_at=case.created_at
        )
        plan(clock, case.brand, target_for(case.brand, case.came_on, by_channel))
        clocks.append(clock)
    Clock.objects.bulk_create(clocks, ignore_conflicts=True)  # two sweeps at once: the first one's row stays
    return len(clocks)


def replan(brand: Brand) -> int:
    """After the brand's targets changed: the running clocks count against the new ones."""
    targets = {t.channel: t for t in Target.objects.filter(brand=brand)}
    clocks = list(Clock.objects.filter(brand=brand, running=True))
    for clock in clocks:
        plan(clock, brand, target_for(brand, clock.channel, targets))
    fields = [f"{stage}_{kind}" for stage in STAGES for kind in ("due", "risk")]
    Clock.objects.bulk_update(clocks, fields, batch_size=500)
    return len(clocks)


PROGRESS_FIELDS = [
    "confirmed_at",
    "answered_at",
    "resolved_at",
    "confirm_seconds",
    "answer_seconds",
    "resolve_seconds",
    "human_answers",
    "running",
    "owner",
]
# Compared by column: reading `owner` would load the agent, one query per clock.
COMPARED = [f"{name}_id" if name == "owner" else name for name in PROGRESS_FIELDS]


def _seconds(start: datetime, end: datetime | None) -> int | None:
    return None if end is None else max(0, int((end - start).total_seconds()))


def advance(clocks_qs=None, limit: int = BATCH) -> int:  # noqa: ANN001 - a Clock queryset
    """Record confirmation, first human answer and resolution of running clocks (and restart reopened ones)."""
    Clock.objects.filter(running=False, case__state__in=OPEN_STATES).update(
        running=True, resolved_at=None, resolve_seconds=None
    )
    qs = clocks_qs if clocks_qs is not None else Clock.objects.filter(running=True)
    changed = [clock for clock in _with_progress(qs)[:limit] if _bring_up_to_date(clock)]
    Clock.objects.bulk_update(changed, PROGRESS_FIELDS, batch_size=500)
    return len(changed)


def _with_progress(qs):  # noqa: ANN001, ANN202 - Clock querysets
    """The clocks with what their case's record says now: first confirmation, first answer, answers, solving."""
    return qs.annotate(**_record(), state=F("case__state"), case_owner=F("case__owner_id")).order_by("pk")


def _bring_up_to_date(clock: Clock) -> bool:
    """Apply the annotated progress to the clock in memory; whether anything changed."""
    before = [getattr(clock, name) for name in COMPARED]
    if not clock.running and clock.state in OPEN_STATES:  # reopened
        clock.running, clock.resolved_at = True, None
    clock.confirmed_at = clock.confirmed_at or clock.first_confirmation
    clock.answered_at = clock.answered_at or clock.first_answer
    clock.human_answers = clock.answer_count
    clock.owner_id = clock.case_owner
    if clock.state in DONE_STATES:
        clock.resolved_at = clock.resolved_at or clock.solved_at
        clock.running = False
    clock.confirm_seconds = _seconds(clock.opened_at, clock.confirmed_at)
    clock.answer_seconds = _seconds(clock.opened_at, clock.answered_at)
    clock.resolve_seconds = _seconds(clock.opened_at, clock.resolved_at)
    return [getattr(clock, name) for name in COMPARED] != before


def for_case(case: Case, messages: list[Message] | None = None, events: list[CaseEvent] | None = None) -> Clock:
    """The case's clock as of now, for showing: computed from the case's record without writing (a page view must
    not write; the periodic sweep stores clocks and their progress).

    The case page passes the messages and events it read for its timeline: then the clock's own row is the only
    query (the sweep's annotated query costs ~5 ms of ORM work per page view), and the progress is the same as
    the sweep's (`_with_progress`): first confirmation, first human answer, their count, the last solving event.
    """
    if messages is None:
        messages = list(Message.objects.filter(case=case).only(*PROGRESS_COLUMNS).order_by("created_at", "id"))
    if events is None:
        events = list(CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.STATE).only("kind", "data", "created_at"))
    clock = next(iter(_CLOCK(case=case.pk)), None) or _new_clock(case, messages)
    by_time = sorted(messages, key=lambda m: (m.created_at, m.pk))
    confirmations = [m for m in by_time if m.direction == Direction.OUT and m.kind == MessageKind.CONFIRMATION]
    answers = [m for m in by_time if _is_human_answer(m)]
    solving = [e for e in events if e.kind == CaseEvent.Kind.STATE and _solves(e.data)]
    clock.first_confirmation = confirmations[0].created_at if confirmations else None
    clock.first_answer = answers[0].created_at if answers else None
    clock.answer_count = len(answers)
    clock.state, clock.case_owner = case.state, case.owner_id
    clock.solved_at = max(solving, key=lambda e: (e.created_at, e.pk)).created_at if solving else case.updated_at
    _bring_up_to_date(clock)
    return clock


# What for_case reads of a message when nobody passes them (the timeline reads these and more).
PROGRESS_COLUMNS = ("case_id", "channel", "direction", "kind", "author_agent_id", "created_at")


def _is_human_answer(message: Message) -> bool:
    """human_answers() in Python, for messages already read."""
    return message.direction == Direction.OUT and message.kind in HUMAN_KINDS and message.author_agent_id is not None


def _solves(data: object) -> bool:
    return isinstance(data, dict) and data.get("to") in DONE_STATES


def _new_clock(case: Case, messages: list[Message]) -> Clock:
    """A planned clock for a case the sweep has not come by yet (not saved)."""
    first_in = min(
        (m for m in messages if m.direction == Direction.IN), key=lambda m: (m.created_at, m.pk), default=None
    )
    channel = first_in.channel if first_in else case.preferred_channel
    clock = Clock(case=case, brand_id=case.brand_id, owner_id=case.owner_id, channel=channel, opened_at=case.created_at)
    plan(clock, case.brand, target_for(case.brand, channel))
    return clock
