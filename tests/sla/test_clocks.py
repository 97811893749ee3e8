"""Each case's clock against its brand's targets, with fixed clocks across Christmas and a weekend."""

from datetime import datetime
from unittest import mock
from zoneinfo import ZoneInfo

import pytest

from anliegen.core.models import Case, CaseEvent, Message, MessageKind
from anliegen.core.services import cases as case_services
from anliegen.sla import alarms, clocks, status
from anliegen.sla.models import Alarm, Clock, Target
from tests.promises.factories import webform

BERLIN = ZoneInfo("Europe/Berlin")
OPENED = datetime(2026, 12, 24, 16, 30, tzinfo=BERLIN)  # Thursday before Christmas


def at(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=BERLIN)


@pytest.fixture
def case(brand, agents, settings):
    settings.TIME_ZONE = "Europe/Berlin"
    brand.default_region = "DE"
    brand.service_hours = {"days": [0, 1, 2, 3, 4], "start": "08:00", "end": "18:00"}
    brand.save()
    Target.objects.create(brand=brand, channel="", confirm_minutes=60, answer_minutes=600, resolve_minutes=6000)
    Target.objects.create(brand=brand, channel="webform", confirm_minutes=5, answer_minutes=120, resolve_minutes=600)
    made = webform(brand, "jana@example.org", "Kein Internet", "Seit heute früh kein Internet.", "sla1")
    Case.objects.filter(pk=made.pk).update(created_at=OPENED)
    made.messages.update(created_at=at(2026, 12, 24, 16, 31))
    made.refresh_from_db()
    return made


def sweep(moment: datetime):
    with mock.patch("anliegen.sla.alarms.realtime.publish") as publish:
        result = alarms.sweep(moment)
    return result, publish


def test_targets_of_the_channel_are_counted_in_service_time(case):
    result, _ = sweep(at(2026, 12, 24, 16, 40))
    assert result.started == 1
    clock = Clock.objects.get(case=case)
    assert clock.channel == "webform"
    assert clock.confirm_due == at(2026, 12, 24, 16, 35)
    # 90 minutes on Thursday, Christmas (Friday) and the weekend skipped, 30 more on Monday.
    assert clock.answer_due == at(2026, 12, 28, 8, 30)
    assert clock.answer_risk == at(2026, 12, 28, 8, 6)  # 80 % of 120 min = 96 min
    assert clock.resolve_due == at(2026, 12, 28, 16, 30)  # 600 min: 90 Thursday, 510 Monday
    assert clock.confirmed_at == at(2026, 12, 24, 16, 31) and clock.confirm_seconds == 60
    shown = {s.stage: s.state for s in status.case_status(clock, case.brand, case.state, at(2026, 12, 24, 16, 40))}
    assert shown == {"confirm": "met", "answer": "running", "resolve": "running"}


def test_at_risk_and_breached_alarm_owner_and_supervisor_once(case, agents, django_capture_on_commit_callbacks):
    assert sweep(at(2026, 12, 27, 12, 0))[0].alarms == []  # Sunday: nothing is due yet
    with (
        mock.patch("anliegen.sla.alarms.realtime.publish") as publish,
        django_capture_on_commit_callbacks(execute=True),
    ):
        result = alarms.sweep(at(2026, 12, 28, 8, 10))
    assert result.alarms == [(case.pk, "answer", "risk")]
    event = publish.call_args.args[0]
    assert event["type"] == "sla.risk" and event["agents"] == [case.owner_id, agents["claire"].pk]
    assert sweep(at(2026, 12, 28, 8, 20))[0].alarms == []  # once
    assert sweep(at(2026, 12, 28, 8, 31))[0].alarms == [(case.pk, "answer", "breach")]
    assert sweep(at(2026, 12, 28, 8, 40))[0].alarms == []
    assert Alarm.objects.filter(case=case).count() == 2
    assert CaseEvent.objects.filter(case=case, data__sla="answer").count() == 2
    shown = status.case_status(Clock.objects.get(case=case), case.brand, case.state, at(2026, 12, 28, 9, 0))
    answer = next(s for s in shown if s.stage == "answer")
    assert answer.state == "breached" and answer.left == "-30 min"


def test_the_answer_and_the_solution_stop_the_clock(case, agents):
    sweep(at(2026, 12, 24, 16, 40))
    reply = case_services.do_reply(case, agents["anna"], "Wir kümmern uns.", new_state="open")
    Message.objects.filter(pk=reply.pk).update(created_at=at(2026, 12, 28, 9, 0))
    result, _ = sweep(at(2026, 12, 28, 9, 5))
    assert result.alarms == []  # answered (late) before the sweep came by: no alarm any more
    clock = Clock.objects.get(case=case)
    assert clock.answered_at == at(2026, 12, 28, 9, 0) and clock.human_answers == 1
    case_services.do_change_state(case, agents["anna"], "solved")
    CaseEvent.objects.filter(case=case, kind="state").update(created_at=at(2026, 12, 28, 10, 0))
    sweep(at(2026, 12, 28, 10, 5))
    clock.refresh_from_db()
    assert not clock.running and clock.resolved_at == at(2026, 12, 28, 10, 0)
    shown = {s.stage: s.state for s in status.case_status(clock, case.brand, "solved", at(2026, 12, 28, 10, 5))}
    assert shown == {"confirm": "met", "answer": "missed", "resolve": "met"}
    # Reopened by the customer: the clock runs again.
    Case.objects.filter(pk=case.pk).update(state="open")
    clocks.advance()
    clock.refresh_from_db()
    assert clock.running and clock.resolved_at is None


def test_a_confirmation_is_no_human_answer(case):
    sweep(at(2026, 12, 24, 16, 40))
    assert case.messages.filter(kind=MessageKind.CONFIRMATION).exists()
    assert Clock.objects.get(case=case).answered_at is None


def test_a_waiting_case_does_not_alarm(case):
    Case.objects.filter(pk=case.pk).update(state="waiting")
    assert sweep(at(2026, 12, 28, 8, 40))[0].alarms == []


def test_a_clock_shown_before_the_sweep_is_the_one_the_sweep_stores(case, agents):
    reply = case_services.do_reply(case, agents["anna"], "Wir kümmern uns.", new_state="open")
    Message.objects.filter(pk=reply.pk).update(created_at=at(2026, 12, 28, 9, 0))
    case_services.do_change_state(case, agents["anna"], "solved")
    # Solved at 10:00 and touched since: the clock stops at the solving, not at the last change.
    CaseEvent.objects.filter(case=case, kind="state").update(created_at=at(2026, 12, 28, 10, 0))
    Case.objects.filter(pk=case.pk).update(updated_at=at(2026, 12, 28, 11, 0))
    case.refresh_from_db()
    shown = clocks.for_case(case)
    assert not Clock.objects.filter(case=case).exists()
    sweep(at(2026, 12, 28, 11, 5))
    stored = Clock.objects.get(case=case)
    assert shown.resolved_at == at(2026, 12, 28, 10, 0)
    for name in clocks.PROGRESS_FIELDS[:-1] + ["owner_id", "channel", "answer_due", "resolve_due"]:
        assert getattr(shown, name) == getattr(stored, name), name
    assert clocks.for_case(case).resolve_seconds == stored.resolve_seconds


def _progress(clock: Clock) -> tuple:
    return tuple(getattr(clock, name) for name in clocks.COMPARED)


def test_the_page_reads_the_same_progress_as_the_sweep_from_the_timeline(case, agents):
    """for_case works on the messages and events the case page already read; the sweep annotates them in SQL."""
    from anliegen.desk.timeline import timeline

    def both() -> tuple[tuple, tuple]:
        entries = timeline(Case.objects.get(pk=case.pk))
        shown = clocks.for_case(
            Case.objects.get(pk=case.pk),
            [e.message for e in entries if e.message],
            [e.event for e in entries if e.event],
        )
        swept = clocks._with_progress(Clock.objects.filter(case=case)).first()
        clocks._bring_up_to_date(swept)
        assert _progress(clocks.for_case(Case.objects.get(pk=case.pk))) == _progress(shown)  # reading its own
        return _progress(shown), _progress(swept)

    sweep(at(2026, 12, 24, 16, 40))
    shown, swept = both()
    assert shown == swept and shown[0] is not None  # confirmed, nobody answered yet
    case_services.do_note(case, agents["anna"], "intern")  # a note is no answer
    for n in range(2):
        reply = case_services.do_reply(case, agents["anna"], f"Antwort {n}", new_state="open")
        Message.objects.filter(pk=reply.pk).update(created_at=at(2026, 12, 28, 9, n))
    case_services.do_change_state(case, agents["anna"], "solved")
    CaseEvent.objects.filter(case=case, kind="state").update(created_at=at(2026, 12, 28, 10, 0))
    shown, swept = both()
    assert shown == swept and shown[1] == at(2026, 12, 28, 9, 0) and shown[6] == 2 and not shown[7]
    Case.objects.filter(pk=case.pk).update(state="open")  # reopened: running again, not resolved
    shown, swept = both()
    assert shown == swept and shown[7] and shown[2] is None
