"""When the customer will have an answer: the brand's answer time counted in its service hours only.

A promise of "within 4 hours" made on Friday at 17:00 means Monday 11:00 to a team that works 8-18 on
weekdays; telling the customer "21:00" would be a promise nobody keeps. Public holidays of the brand's country
(and subdivision, `service_hours["subdivision"]`, e.g. "HH") are closed days; `"holidays": false` turns that off.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from functools import lru_cache

import holidays as public_holidays
from django.utils import timezone

from anliegen.core.models import Brand

MAX_DAYS = 800  # more than any answer time or SLA target needs; a calendar without open days ends here


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


@lru_cache(maxsize=64)
def _calendar(country: str, subdivision: str) -> public_holidays.HolidayBase | None:
    try:
        return public_holidays.country_holidays(country, subdiv=subdivision or None)
    except NotImplementedError:
        return None  # a region the package does not know: no holidays rather than no answer time


@lru_cache(maxsize=4096)
def _holiday_name(country: str, subdivision: str, day: date) -> str:
    # Every answer time walks the days ahead: the calendar's lookup is the same for every case of a region.
    calendar = _calendar(country, subdivision)
    return (calendar.get(day) or "") if calendar is not None else ""


def warm_up() -> None:
    """Load the calendars of every brand's region (a process that computes answer times, when it starts)."""
    for brand in Brand.objects.only("service_hours", "default_region"):
        if (region := _region(brand)) is not None:
            _calendar(*region)


def _region(brand: Brand) -> tuple[str, str] | None:
    spec = brand.service_hours or {}
    if not spec or spec.get("holidays") is False or not brand.default_region:
        return None
    return brand.default_region.upper(), str(spec.get("subdivision") or "").upper()


def _brand_calendar(brand: Brand) -> public_holidays.HolidayBase | None:
    region = _region(brand)
    return _calendar(*region) if region is not None else None


def holiday(brand: Brand, day: date) -> str:
    """The public holiday's name on `day` where the brand works, or ""."""
    region = _region(brand)
    return _holiday_name(*region, day) if region is not None else ""


def _open_span(brand: Brand, spec: tuple[set[int], time, time], day: date, tz) -> tuple[datetime, datetime] | None:
    days, open_at, close_at = spec
    if day.weekday() not in days or holiday(brand, day):
        return None
    return datetime.combine(day, open_at, tzinfo=tz), datetime.combine(day, close_at, tzinfo=tz)


def add(brand: Brand, start: datetime, duration: timedelta) -> datetime:
    """The moment `duration` of service time after `start` has passed."""
    spec = _hours(brand)
    if spec is None:
        return start + duration
    remaining = duration
    tz = timezone.get_current_timezone()
    moment = timezone.localtime(start, tz)
    for _ in range(MAX_DAYS):
        day = moment.date()
        span = _open_span(brand, spec, day, tz)
        if span and moment < span[1]:
            moment = max(moment, span[0])
            if moment + remaining <= span[1]:
                return moment + remaining
            remaining -= span[1] - moment
        moment = datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return start + duration


def between(brand: Brand, start: datetime, end: datetime) -> timedelta:
    """Service time between two moments (zero when `end` is not after `start`)."""
    if end <= start:
        return timedelta(0)
    spec = _hours(brand)
    if spec is None:
        return end - start
    tz = timezone.get_current_timezone()
    first, last = timezone.localtime(start, tz).date(), timezone.localtime(end, tz).date()
    total = timedelta(0)
    for day in {first, last}:  # the first and last day may be open only in part
        span = _open_span(brand, spec, day, tz)
        if span:
            total += max(timedelta(0), min(span[1], end) - max(span[0], start))
    if (last - first).days > 1:
        # The days between are open whole or not at all: counted, not walked (a case breached two years ago
        # is shown in every list; walking its 730 days per stage made an inbox of 50 rows cost 60 ms).
        days, open_at, close_at = spec
        whole = datetime.combine(first, close_at) - datetime.combine(first, open_at)
        total += whole * _open_days(brand, days, first + timedelta(days=1), last - timedelta(days=1))
    return total


def _open_days(brand: Brand, weekdays: set[int], first: date, last: date) -> int:
    """Open days from `first` to `last` (both included): the weekdays the team works, without public holidays."""
    weeks, rest = divmod((last - first).days + 1, 7)
    tail = last - timedelta(days=rest - 1)
    count = weeks * len(weekdays) + sum((tail + timedelta(days=i)).weekday() in weekdays for i in range(rest))
    calendar = _brand_calendar(brand)
    if calendar is not None:
        for year in range(first.year, last.year + 1):
            calendar.get(date(year, 1, 1))  # the package fills a year's holidays when the year is first asked
        count -= sum(1 for day in calendar if first <= day <= last and day.weekday() in weekdays)
    return count


def due(brand: Brand, start: datetime) -> datetime:
    """The moment `brand.answer_within_hours` service hours after `start` have passed."""
    return add(brand, start, timedelta(hours=brand.answer_within_hours))


def in_service_hours(brand: Brand, moment: datetime) -> bool:
    """True when the team works at `moment` (a brand without service hours works around the clock)."""
    spec = _hours(brand)
    if spec is None:
        return True
    local = timezone.localtime(moment, timezone.get_current_timezone())
    span = _open_span(brand, spec, local.date(), local.tzinfo)
    return span is not None and span[0] <= local < span[1]
