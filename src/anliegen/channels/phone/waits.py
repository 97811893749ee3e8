"""The honest wait at a brand's hotline: Erlang C from the recent calls, the handling time and the agents on shift.

Inputs, all from the brand's own recorded calls: the arrival rate (inbound calls that started in the last
hour), the average handling time (answered calls of the rolling window, default 7 days), the agents who take
calls now (online, not on leave, not away on the phone) and the callers waiting now. Cached for a few seconds:
the routing answer reads it while a phone rings.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db.models import Avg, Count, Q
from django.utils import timezone

from anliegen.core.models import Agent, Brand, Presence

from . import erlang, presence
from .models import Call, CallResult, PhoneLine, PhoneState

MIN_CALLS_FOR_AVERAGE = 5


@dataclass(frozen=True)
class Estimate:
    seconds: int | None  # None: nobody takes calls now
    agents: int
    handling_seconds: int
    arrivals_per_hour: float
    waiting: int

    @property
    def minutes(self) -> int | None:
        return None if self.seconds is None else max(1, math.ceil(self.seconds / 60))

    def as_json(self) -> dict:
        return {
            "seconds": self.seconds,
            "minutes": self.minutes,
            "agents": self.agents,
            "handling_seconds": self.handling_seconds,
            "arrivals_per_hour": round(self.arrivals_per_hour, 2),
            "waiting": self.waiting,
        }


def window() -> timedelta:
    return timedelta(days=settings.PHONE_HANDLING_WINDOW_DAYS)


def for_brand(brand: Brand) -> Estimate:
    key = f"phone.wait.{brand.pk}"
    found = cache.get(key)
    if found is None:
        found = compute(brand)
        cache.set(key, found, timeout=settings.PHONE_WAIT_CACHE_SECONDS)
    return found


def compute(brand: Brand) -> Estimate:
    now = timezone.now()
    calls = Call.objects.filter(brand=brand)
    handled = calls.filter(result=CallResult.ANSWERED, ended_at__gte=now - window(), duration_seconds__gt=0)
    stats = handled.aggregate(n=Count("id"), avg=Avg("duration_seconds"))
    line = PhoneLine.objects.filter(brand=brand).values_list("default_handling_seconds", flat=True).first()
    handling = stats["avg"] if stats["n"] >= MIN_CALLS_FOR_AVERAGE else (line or 300)
    recent = calls.filter(direction="in", started_at__gte=now - timedelta(hours=1))
    counts = recent.aggregate(
        arrived=Count("id"), waiting=Count("id", filter=Q(answered_at__isnull=True, ended_at__isnull=True))
    )
    on_shift = taking_calls(brand)
    return estimate(len(on_shift), counts["arrived"] / 3600.0, float(handling), counts["waiting"])


def taking_calls(brand: Brand) -> list[int]:
    """Agents of the brand on phone shift now: online, not on leave, and not set away on the phone."""
    ids = list(
        Agent.objects.filter(memberships__brand=brand, presence=Presence.ONLINE, on_leave=False).values_list(
            "id", flat=True
        )
    )
    states = presence.states(ids)
    return [a for a in ids if states[a] != PhoneState.AWAY]


def estimate(agents: int, arrivals_per_second: float, handling_seconds: float, waiting: int) -> Estimate:
    """The expected wait of the next caller: Erlang C while the team keeps up, the queue ahead of them when not."""
    handling = max(1.0, handling_seconds)
    if agents <= 0:
        return Estimate(None, 0, round(handling), arrivals_per_second * 3600, waiting)
    traffic = arrivals_per_second * handling
    steady = erlang.average_wait(agents, traffic, handling)
    # Those waiting now are ahead of this caller: each needs a free agent first.
    ahead = waiting * handling / agents
    # A team that cannot keep up: the caller waits for everyone ahead and one more call to end.
    seconds = (waiting + 1) * handling / agents if math.isinf(steady) else max(steady, ahead)
    return Estimate(round(seconds), agents, round(handling), arrivals_per_second * 3600, waiting)
