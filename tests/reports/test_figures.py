"""Every report figure against a small data set computed by hand (the numbers in the comments)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from anliegen.core.models import Case, CaseEvent, Contact, Direction, Incident, Message, MessageKind, Team
from anliegen.csat.models import Survey
from anliegen.promises.models import Promise
from anliegen.reports import figures
from anliegen.reports.scope import Scope
from anliegen.selfservice.models import Deflection
from anliegen.sla import clocks
from anliegen.sla.models import Target

T0 = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)  # a Monday
NOW = T0 + timedelta(days=5, hours=2)
M = timedelta(minutes=1)


def message(case, at, direction, kind, author=None, channel="email"):
    made = Message.objects.create(
        case=case, brand=case.brand, channel=channel, direction=direction, kind=kind, author_agent=author
    )
    Message.objects.filter(pk=made.pk).update(created_at=at)


def make_case(brand, owner, opened, channel, confirm=None, answers=(), solved=None, incident=None):
    contact = Contact.objects.create(brand=brand, name="Kundin")
    case = Case.objects.create(
        brand=brand, contact=contact, owner=owner, subject="x", preferred_channel=channel, incident=incident
    )
    message(case, opened, Direction.IN, MessageKind.MESSAGE, channel=channel)
    if confirm is not None:
        message(case, opened + confirm, Direction.OUT, MessageKind.CONFIRMATION, owner)
    for after in answers:
        message(case, opened + after, Direction.OUT, MessageKind.MESSAGE, owner)
    message(case, opened + 5 * M, Direction.INTERNAL, MessageKind.NOTE, owner, channel="desk")  # a note: no answer
    if solved is not None:
        case.state = "solved"
        case.save()
        event = CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.STATE, data={"from": "open", "to": "solved"})
        CaseEvent.objects.filter(pk=event.pk).update(created_at=opened + solved)
    Case.objects.filter(pk=case.pk).update(created_at=opened)
    return case


@pytest.fixture
def data(brand, agents):
    brand.service_hours = {}  # around the clock: target arithmetic is tested in tests/sla
    brand.save()
    Target.objects.create(brand=brand, channel="", confirm_minutes=10, answer_minutes=60)
    anna, ben = agents["anna"], agents["ben"]
    outage = Incident.objects.create(brand=brand, title="TV-Ausfall", starts_at=T0)
    c1 = make_case(brand, anna, T0, "email", 2 * M, [30 * M], 60 * M, incident=outage)
    c2 = make_case(brand, anna, T0 + timedelta(days=1), "webform", 20 * M, [90 * M, 120 * M], 180 * M)
    c3 = make_case(brand, ben, T0 + timedelta(days=2), "email", 4 * M)
    make_case(brand, ben, datetime(2026, 10, 20, 10, 0, tzinfo=UTC), "phone")  # before the range, still open
    clocks.start_missing()
    clocks.advance()
    team = Team.objects.create(brand=brand, name="Abrechnung")
    team.members.add(ben)

    def promise(case, owner, kind, due, state, closed=None, window=None, amount=None):
        Promise.objects.create(
            case=case,
            brand=brand,
            owner=owner,
            kind=kind,
            due_at=due,
            window_end=window,
            state=state,
            closed_at=closed,
            amount_cents=amount,
        )

    promise(c1, anna, "callback", T0 + 60 * M, "kept", T0 + 90 * M, window=T0 + 120 * M)  # in its window: on time
    promise(c2, anna, "credit", T0 + timedelta(days=1), "kept", T0 + timedelta(days=2), amount=500)  # late
    promise(c3, ben, "callback", T0 + timedelta(days=2), "broken")
    promise(c3, ben, "reply_by", T0 + timedelta(days=3), "open")  # overdue at NOW
    promise(c3, ben, "custom", T0 + timedelta(days=3), "cancelled")  # not counted
    promise(c3, ben, "reply_by", T0 + timedelta(days=6), "open")  # not due yet at NOW
    for visit, outcome in enumerate(["shown", "shown", "solved", "sent"]):
        row = Deflection.objects.create(brand=brand, visit=f"v{visit}", outcome=outcome)
        Deflection.objects.filter(pk=row.pk).update(created_at=T0 + timedelta(hours=visit))
    old = Deflection.objects.create(brand=brand, visit="old", outcome="solved")
    Deflection.objects.filter(pk=old.pk).update(created_at=T0 - timedelta(days=30))
    asked = T0 + timedelta(days=3)
    Survey.objects.create(case=c1, brand=brand, agent=anna, channel="email", asked_at=asked, score=5, answered_at=asked)
    Survey.objects.create(
        case=c2, brand=brand, agent=anna, channel="webform", asked_at=asked, score=2, answered_at=asked
    )
    Survey.objects.create(case=c3, brand=brand, agent=ben, channel="email", asked_at=asked)
    start = datetime(2026, 11, 1, tzinfo=UTC)
    return {"scope": Scope((brand.pk,), start, start + timedelta(days=7), now=NOW), "team": team, **agents}


def test_case_figures(data):
    c = figures.cases(data["scope"])
    assert c["cases"] == 3
    assert c["confirm_avg_seconds"] == 520  # (120 + 1200 + 240) / 3
    assert c["confirm_in_time_rate"] == round(2 / 3, 4)  # 2 and 4 minutes within 10, 20 not
    assert c["answer_avg_seconds"] == 3600  # (1800 + 5400) / 2: the note and the confirmation are no answer
    assert c["answer_in_time_rate"] == 0.5
    assert c["resolved"] == 2 and c["resolve_avg_seconds"] == 7200  # (3600 + 10800) / 2
    assert c["first_contact_rate"] == 0.5  # c1 solved with its one answer, c2 needed two
    assert c["incident_linked"] == 1 and c["incident_share"] == round(1 / 3, 4)


def test_promise_and_callback_keeping(data):
    p = figures.promises(data["scope"])
    assert (p["promises_due"], p["promises_kept"], p["promise_rate"]) == (4, 1, 0.25)
    assert (p["callbacks_due"], p["callbacks_kept"], p["callback_rate"]) == (2, 1, 0.5)


def test_mix_backlog_incidents_deflection(data):
    scope = data["scope"]
    assert figures.channel_mix(scope) == [("email", 2), ("webform", 1)]
    assert [n for _day, n in figures.daily(scope)] == [1, 1, 1]
    # At NOW: c3 is 3.1 days old, the October case 18 days; the solved ones are no backlog.
    assert dict(figures.backlog(scope)) == {"lt1d": 0, "1to3d": 0, "3to7d": 1, "7to30d": 1, "gt30d": 0}
    assert figures.incidents(scope) == [("TV-Ausfall", 1)]
    assert figures.deflection(scope) == {"visits": 4, "deflected": 1, "deflection_rate": 0.25}


def test_csat(data):
    s = figures.csat(data["scope"])
    assert (s["asked"], s["rated"], s["csat_avg"], s["csat_rate"], s["poor"]) == (3, 2, 3.5, 0.5, 1)
    assert s["response_rate"] == round(2 / 3, 4)
    assert figures.csat_scores(data["scope"]) == [(1, 0), (2, 1), (3, 0), (4, 0), (5, 1)]


def test_filters_by_agent_team_and_channel(data):
    scope = data["scope"]
    anna = figures.cases(replace(scope, agent_id=data["anna"].pk))
    assert anna["cases"] == 2 and anna["first_contact_rate"] == 0.5
    team = replace(scope, team_id=data["team"].pk)
    assert figures.cases(team)["cases"] == 1 and figures.csat(team)["asked"] == 1
    assert figures.promises(team)["promises_due"] == 2  # ben's broken callback and overdue answer
    assert dict(figures.backlog(team))["7to30d"] == 1
    email = replace(scope, channel="email")
    assert figures.cases(email)["cases"] == 2 and figures.csat(email)["rated"] == 1
    assert figures.cases(replace(scope, brand_ids=(9999,)))["cases"] == 0


def test_breakdown_per_agent_and_channel(data):
    rows = {r["key"]: r for r in figures.breakdown(data["scope"], "agent")}
    assert rows["Anna Schmidt"]["cases"] == 2 and rows["Anna Schmidt"]["csat_avg"] == 3.5
    assert rows["Ben Wagner"]["cases"] == 1 and rows["Ben Wagner"]["rated"] == 0
    assert sum(r.get("incident_linked", 0) for r in rows.values()) == 1  # counted apart, joined by the agent
    assert "owner_id" not in rows["Anna Schmidt"] and "agent_id" not in rows["Anna Schmidt"]
    by_channel = {r["key"]: r for r in figures.breakdown(data["scope"], "channel")}
    assert by_channel["webform"]["answer_in_time_rate"] == 0.0 and by_channel["email"]["answer_in_time_rate"] == 1.0
    by_team = {r["key"]: r for r in figures.breakdown(data["scope"], "team")}
    assert by_team["Abrechnung"]["cases"] == 1
