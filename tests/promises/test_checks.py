"""The periodic check: reminders before due, alarms when overdue, each exactly once."""

from datetime import timedelta
from io import StringIO
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone

from anliegen.promises import checks
from anliegen.promises.models import Promise
from anliegen.promises.tasks import check_promises
from tests.promises.factories import webform


@pytest.fixture
def case(brand, agents):
    return webform(brand, "jana@example.org", "Ausfall", "Der Strom war weg.", "s1")


def make(case, minutes: int, **kw) -> Promise:
    return Promise.objects.create(
        case=case,
        brand=case.brand,
        owner=case.owner,
        kind=kw.pop("kind", "callback"),
        due_at=timezone.now() + timedelta(minutes=minutes),
        **kw,
    )


def test_reminds_before_due_and_alarms_when_overdue_once(case, agents, settings, django_capture_on_commit_callbacks):
    settings.PROMISE_REMIND_BEFORE_MINUTES = 60
    later = make(case, 300)
    soon = make(case, 30)
    late = make(case, -10)
    in_window = make(case, -10, window_end=timezone.now() + timedelta(minutes=20))
    publishing = mock.patch("anliegen.promises.checks.realtime.publish")
    with publishing as publish, django_capture_on_commit_callbacks(execute=True):
        result = checks.check_due()
    assert sorted(result.reminded) == sorted([soon.pk, in_window.pk])
    assert result.alarmed == [late.pk]
    events = [c.args[0] for c in publish.call_args_list]
    assert {e["type"] for e in events} == {"promise.reminder", "promise.overdue"}
    overdue_event = next(e for e in events if e["type"] == "promise.overdue")
    assert overdue_event["supervisors"] == [agents["claire"].pk] and overdue_event["owner"] == case.owner_id
    assert case.events.filter(kind="promise", data__state="overdue", data__promise=late.pk).count() == 1
    later.refresh_from_db()
    assert later.reminded_at is None and later.alarmed_at is None
    # Idempotent: a second run (or a second worker) does nothing more.
    again = checks.check_due()
    assert again.reminded == [] and again.alarmed == []
    assert case.events.filter(kind="promise", data__state="overdue").count() == 1


def test_kept_promises_are_never_alarmed(case):
    make(case, -10, state="kept")
    assert checks.check_due().alarmed == []


def test_command_and_task_run_the_same_check(case):
    make(case, -5)
    out = StringIO()
    call_command("promises", "check", stdout=out)
    assert out.getvalue().strip() == "0 reminded, 1 alarmed"
    make(case, -5)
    assert check_promises.call()["alarmed"] != []


def test_tick_runs_at_most_once_per_interval(case, settings):
    settings.PROMISE_CHECK_SECONDS = 3600
    checks._last_run = 0.0
    make(case, -5)
    assert checks.tick() is not None
    make(case, -5)
    assert checks.tick() is None  # too soon
