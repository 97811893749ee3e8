"""Promise-keeping rates: of the promises that fell due, how many were kept on time — per agent and per team."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from anliegen.core.models import Agent, Brand

from .models import Promise


@dataclass(frozen=True)
class Rate:
    label: str
    due: int
    kept_on_time: int
    kept_late: int
    broken: int
    overdue: int

    @property
    def rate(self) -> float | None:
        return self.kept_on_time / self.due if self.due else None

    @property
    def percent(self) -> str:
        return "–" if self.rate is None else f"{round(self.rate * 100)} %"


def _fell_due(brand_ids: list[int], since: datetime, now: datetime) -> QuerySet:
    # Cancelled promises are withdrawn, not failed: they do not count as due.
    return (
        Promise.objects.filter(brand_id__in=brand_ids)
        .exclude(state=Promise.State.CANCELLED)
        .annotate(deadline_at=Coalesce("window_end", "due_at"))
        .filter(deadline_at__gte=since, deadline_at__lte=now)
    )


_COUNTS = {
    "due": Count("pk"),
    "kept_on_time": Count("pk", filter=Q(state=Promise.State.KEPT, closed_at__lte=F("deadline_at"))),
    "kept_late": Count("pk", filter=Q(state=Promise.State.KEPT, closed_at__gt=F("deadline_at"))),
    "broken": Count("pk", filter=Q(state=Promise.State.BROKEN)),
    "overdue": Count("pk", filter=Q(state=Promise.State.OPEN)),
}


def by_agent(brand_ids: list[int], days: int = 30, now: datetime | None = None) -> list[Rate]:
    now = now or timezone.now()
    rows = _fell_due(brand_ids, now - timedelta(days=days), now).values("owner").annotate(**_COUNTS)
    names = dict(Agent.objects.filter(pk__in=[r["owner"] for r in rows]).values_list("pk", "name"))
    rates = [_rate(names.get(r["owner"], "?"), r) for r in rows]
    return sorted(rates, key=lambda r: (r.rate if r.rate is not None else 2, r.label))


def by_team(brand_ids: list[int], days: int = 30, now: datetime | None = None) -> list[Rate]:
    """A team is the people serving one brand (the unit an outsourced centre is measured by)."""
    now = now or timezone.now()
    rows = _fell_due(brand_ids, now - timedelta(days=days), now).values("brand").annotate(**_COUNTS)
    names = dict(Brand.objects.filter(pk__in=[r["brand"] for r in rows]).values_list("pk", "name"))
    return sorted((_rate(names.get(r["brand"], "?"), r) for r in rows), key=lambda r: r.label)


def _rate(label: str, row: dict) -> Rate:
    return Rate(label, row["due"], row["kept_on_time"], row["kept_late"], row["broken"], row["overdue"])
