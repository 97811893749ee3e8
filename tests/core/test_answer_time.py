"""Answer times count the brand's service hours, in its time zone."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from anliegen.core.models import Brand
from anliegen.core.services.answer_time import due

BERLIN = ZoneInfo("Europe/Berlin")


def brand(hours: int, service_hours: dict | None) -> Brand:
    return Brand(answer_within_hours=hours, service_hours=service_hours if service_hours is not None else {})


WEEKDAYS = {"days": [0, 1, 2, 3, 4], "start": "08:00", "end": "18:00"}


@pytest.mark.parametrize(
    ("start", "hours", "expected"),
    [
        (datetime(2026, 11, 23, 9, 0), 4, datetime(2026, 11, 23, 13, 0)),  # Monday inside hours
        (datetime(2026, 11, 23, 16, 0), 4, datetime(2026, 11, 24, 10, 0)),  # spills into Tuesday morning
        (datetime(2026, 11, 23, 22, 30), 2, datetime(2026, 11, 24, 10, 0)),  # night: counted from opening
        (datetime(2026, 11, 27, 17, 0), 4, datetime(2026, 11, 30, 11, 0)),  # Friday late: Monday
        (datetime(2026, 11, 28, 12, 0), 8, datetime(2026, 11, 30, 16, 0)),  # Saturday: Monday
        (datetime(2026, 11, 23, 9, 0), 24, datetime(2026, 11, 25, 13, 0)),  # 24 service hours = 2.4 days
    ],
)
def test_due_counts_service_hours_only(settings, start, hours, expected):
    settings.TIME_ZONE = "Europe/Berlin"
    result = due(brand(hours, WEEKDAYS), start.replace(tzinfo=BERLIN))
    assert result.astimezone(BERLIN).replace(tzinfo=None) == expected


def test_without_service_hours_the_clock_runs_around_the_clock(settings):
    start = datetime(2026, 11, 28, 23, 0, tzinfo=BERLIN)
    assert due(brand(4, {}), start) == datetime(2026, 11, 29, 3, 0, tzinfo=BERLIN)


def test_broken_service_hours_fall_back_to_around_the_clock():
    start = datetime(2026, 11, 23, 9, 0, tzinfo=BERLIN)
    assert due(brand(4, {"days": [0], "start": "18:00", "end": "08:00"}), start).hour == 13
