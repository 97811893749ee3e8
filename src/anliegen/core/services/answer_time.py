"""When the customer will have an answer: the brand's answer time counted in its service hours only.

A promise of "within 4 hours" made on Friday at 17:00 means Monday 11:00 to a team that works 8-18 on
weekdays; telling the customer "21:00" would be a promise nobody keeps.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.utils import timezone

from anliegen.core.models import Brand


def _hours(brand: Brand) -> tuple[set[int], time, time] | None:
    spec = brand.service_hours or {}
    try:
        days = {int(d) for d in spec["days"]}
        start, end = time.fromisoformat(spec["start"]), time.fromisoformat(spec["end"])
    except (KeyError, TypeError, ValueError):
        return None  # no (usable) service hours: around the clock
    if not days or end <= start:
        return None
    return days, start, end


def due(brand: Brand, start: datetime) -> datetime:
    """The moment `brand.answer_within_hours` service hours after `start` have passed."""
    remaining = timedelta(hours=brand.answer_within_hours)
    spec = _hours(brand)
    if spec is None:
        return start + remaining
    days, open_at, close_at = spec
    tz = timezone.get_current_timezone()
    moment = timezone.localtime(start, tz)
    for _ in range(366):  # a year of days is more than any answer time needs
        day = moment.date()
        opens = datetime.combine(day, open_at, tzinfo=tz)
        closes = datetime.combine(day, close_at, tzinfo=tz)
        if day.weekday() in days and moment < closes:
            moment = max(moment, opens)
            if moment + remaining <= closes:
                return moment + remaining
            remaining -= closes - moment
        moment = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start + timedelta(hours=brand.answer_within_hours)


def in_service_hours(brand: Brand, moment: datetime) -> bool:
    """True when the team works at `moment` (a brand without service hours works around the clock)."""
    spec = _hours(brand)
    if spec is None:
        return True
    days, open_at, close_at = spec
    local = timezone.localtime(moment, timezone.get_current_timezone())
    return local.weekday() in days and open_at <= local.time() < close_at
