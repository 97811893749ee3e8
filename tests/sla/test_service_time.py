"""Service time skips nights, weekends and the public holidays of the brand's country and subdivision."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from anliegen.core.models import Brand
from anliegen.core.services import answer_time

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = {"days": [0, 1, 2, 3, 4], "start": "08:00", "end": "18:00"}


@pytest.fixture(autouse=True)
def _berlin(settings):
    settings.TIME_ZONE = "Europe/Berlin"


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BERLIN)


def brand(**hours: object) -> Brand:
    return Brand(default_region="DE", service_hours=WEEKDAYS | hours, answer_within_hours=2)


def test_christmas_and_the_weekend_are_skipped():
    # Thursday 24 Dec 2026 17:00: one hour that day, Friday 25th is Christmas, then the weekend.
    assert answer_time.add(brand(), at(2026, 12, 24, 17, 0), timedelta(hours=2)) == at(2026, 12, 28, 9, 0)
    assert answer_time.holiday(brand(), datetime(2026, 12, 25).date())
    assert not answer_time.in_service_hours(brand(), at(2026, 12, 25, 10, 0))


def test_the_subdivision_decides_regional_holidays():
    # Reformation Day (Friday 31 Oct 2025) is a holiday in Hamburg, not in Bavaria.
    thursday = at(2025, 10, 30, 17, 0)
    assert answer_time.add(brand(subdivision="HH"), thursday, timedelta(hours=2)) == at(2025, 11, 3, 9, 0)
    assert answer_time.add(brand(subdivision="BY"), thursday, timedelta(hours=2)) == at(2025, 10, 31, 9, 0)


def test_holidays_can_be_turned_off_and_the_confirmation_time_counts_them():
    christmas_eve = at(2026, 12, 24, 17, 0)
    assert answer_time.add(brand(holidays=False), christmas_eve, timedelta(hours=2)) == at(2026, 12, 25, 9, 0)
    assert answer_time.due(brand(), christmas_eve) == at(2026, 12, 28, 9, 0)


def test_between_counts_only_service_time():
    # Friday 16:00 to Monday 10:00 across a weekend: 2 h Friday + 2 h Monday.
    assert answer_time.between(brand(), at(2026, 11, 27, 16, 0), at(2026, 11, 30, 10, 0)) == timedelta(hours=4)
    assert answer_time.between(brand(), at(2026, 12, 24, 17, 0), at(2026, 12, 28, 9, 0)) == timedelta(hours=2)
    assert answer_time.between(brand(), at(2026, 12, 28, 9, 0), at(2026, 12, 24, 17, 0)) == timedelta(0)


def test_an_unknown_region_has_no_holidays():
    unknown = Brand(default_region="ZZ", service_hours=WEEKDAYS)
    assert answer_time.add(unknown, at(2026, 12, 24, 17, 0), timedelta(hours=2)) == at(2026, 12, 25, 9, 0)


def walked(brand: Brand, start: datetime, end: datetime) -> timedelta:
    """Service time found by walking the calendar day by day (what between() counts without walking)."""
    total, day = timedelta(0), start.date()
    while day <= end.date():
        spec = brand.service_hours
        if day.weekday() in spec["days"] and not answer_time.holiday(brand, day):
            opens = datetime.combine(day, datetime.strptime(spec["start"], "%H:%M").time(), tzinfo=BERLIN)
            closes = datetime.combine(day, datetime.strptime(spec["end"], "%H:%M").time(), tzinfo=BERLIN)
            total += max(timedelta(0), min(closes, end) - max(opens, start))
        day += timedelta(days=1)
    return total


@pytest.mark.parametrize("seed", range(4))
def test_between_over_long_ranges_equals_walking_the_calendar(seed):
    import random

    rng = random.Random(seed)
    shops = [brand(subdivision="HH"), brand(days=[1, 2, 3, 5], start="09:30", end="13:15"), brand(holidays=False)]
    for _ in range(60):
        start = at(2024, 1, 1, 0, 0) + timedelta(minutes=rng.randrange(0, 3 * 365 * 24 * 60))
        end = start + timedelta(minutes=rng.choice([30, 600, 3000, 20000, 200000, 1100000]) * rng.random())
        shop = rng.choice(shops)
        assert answer_time.between(shop, start, end) == walked(shop, start, end), (start, end, shop.service_hours)
