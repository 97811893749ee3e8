"""Deflection, counted honestly: a form visit that saw suggestions, and whether it ended solved or sent."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from anliegen.core.models import Brand

from ..models import Article, Deflection


def do_shown(brand: Brand, visit: str) -> None:
    try:
        with transaction.atomic():
            Deflection.objects.create(brand=brand, visit=visit)
    except IntegrityError:
        pass  # the visit is counted already


def do_solved(brand: Brand, visit: str, article: Article | None) -> None:
    row, _created = Deflection.objects.get_or_create(brand=brand, visit=visit)
    row.outcome, row.article = Deflection.Outcome.SOLVED, article
    row.save(update_fields=["outcome", "article", "updated_at"])


def do_sent(brand: Brand, visit: str) -> None:
    """The customer sent the form after all: the visit counts as sent (only when suggestions were shown)."""
    Deflection.objects.filter(brand=brand, visit=visit).update(
        outcome=Deflection.Outcome.SENT, updated_at=timezone.now()
    )


@dataclass
class Rate:
    brand: str
    shown: int
    solved: int
    sent: int

    @property
    def rate(self) -> float:
        return self.solved / self.shown if self.shown else 0.0


def rates(brand_ids: list[int], days: int = 30) -> list[Rate]:
    """Per brand over the last `days`: visits that saw suggestions, of them solved without sending, and sent."""
    since = timezone.now() - timedelta(days=days)
    rows = (
        Deflection.objects.filter(brand_id__in=brand_ids, created_at__gte=since)
        .values("brand__name")
        .annotate(
            shown=Count("pk"),
            solved=Count("pk", filter=Q(outcome=Deflection.Outcome.SOLVED)),
            sent=Count("pk", filter=Q(outcome=Deflection.Outcome.SENT)),
        )
        .order_by("brand__name")
    )
    return [Rate(r["brand__name"], r["shown"], r["solved"], r["sent"]) for r in rows]
