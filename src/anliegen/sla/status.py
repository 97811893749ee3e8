"""How a clock reads to a person: each stage met, missed, running, at risk or late, and what is left of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from anliegen.core.models import Brand, CaseState
from anliegen.core.services import answer_time

from .models import STAGES, Clock, Stage

MET, MISSED, RUNNING, AT_RISK, BREACHED, PAUSED = "met", "missed", "running", "at_risk", "breached", "paused"
LABELS = {
    MET: _("met"),
    MISSED: _("missed"),
    RUNNING: _("running"),
    AT_RISK: _("at risk"),
    BREACHED: _("breached"),
    PAUSED: _("waiting for customer"),
}
# Worst first: a list shows the most urgent stage of a case.
SEVERITY = [BREACHED, AT_RISK, RUNNING, PAUSED, MISSED, MET]


@dataclass(frozen=True)
class StageStatus:
    stage: str
    label: str
    state: str
    state_label: str
    due: datetime
    done_at: datetime | None
    left: str  # service time left ("-1 h 20 min" when late), empty once the stage is done


class Moments:
    """A clock's due, risk and done moments read from a list row's columns: what stage_status asks of a Clock,
    without building a model instance per row."""

    __slots__ = ("_columns",)
    DONE = {"confirm": "confirmed_at", "answer": "answered_at", "resolve": "resolved_at"}

    def __init__(self, columns: dict) -> None:
        self._columns = columns

    def due(self, stage: str) -> datetime | None:
        return self._columns[f"{stage}_due"]

    def risk(self, stage: str) -> datetime | None:
        return self._columns[f"{stage}_risk"]

    def done_at(self, stage: str) -> datetime | None:
        return self._columns[self.DONE[stage]]


@lru_cache(maxsize=16)
def _names(language: str | None) -> tuple[dict[str, str], dict[str, str]]:
    """Stage and state names as text in the active language (`language`, the cache key): a list of 50 rows
    asks for them 300 times, and each lazy translation goes through the translation machinery."""
    return {str(s): str(s.label) for s in STAGES}, {state: str(label) for state, label in LABELS.items()}


def stage_status(
    clock: Clock | Moments, stage: str, brand: Brand, case_state: str, now: datetime | None = None
) -> StageStatus | None:
    due = clock.due(stage)
    if due is None:
        return None  # no target for this stage
    now = now or timezone.now()
    done = clock.done_at(stage)
    left = ""
    if done is not None:
        state = MET if done <= due else MISSED
    elif case_state in (CaseState.SOLVED, CaseState.CLOSED):
        state = MISSED if stage != Stage.RESOLVE else (MET if now <= due else MISSED)
    else:
        if now >= due:
            state = BREACHED
            left = "-" + duration(answer_time.between(brand, due, now))
        else:
            state = AT_RISK if clock.risk(stage) and now >= clock.risk(stage) else RUNNING
            left = duration(answer_time.between(brand, now, due))
        if case_state == CaseState.WAITING and state != BREACHED:
            state = PAUSED
    stage_names, state_names = _names(translation.get_language())
    return StageStatus(stage, stage_names[str(stage)], state, state_names[state], due, done, left)


def case_status(
    clock: Clock | Moments | None, brand: Brand, case_state: str, now: datetime | None = None
) -> list[StageStatus]:
    if clock is None:
        return []
    found = (stage_status(clock, stage, brand, case_state, now) for stage in STAGES)
    return [s for s in found if s is not None]


def worst(statuses: list[StageStatus]) -> StageStatus | None:
    """The stage a list row shows: the most urgent one still running, else the worst finished one."""
    return min(statuses, key=lambda s: (SEVERITY.index(s.state), s.due), default=None)


def duration(span: timedelta) -> str:
    minutes = int(span.total_seconds() // 60)
    hours, minutes = divmod(minutes, 60)
    days, hours = divmod(hours, 24)
    parts = [f"{days} d"] if days else []
    if hours:
        parts.append(f"{hours} h")
    if minutes or not parts:
        parts.append(f"{minutes} min")
    return " ".join(parts[:2])
