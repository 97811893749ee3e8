"""Promise-keeping rates: kept on time / due, per agent and per team (brand)."""

from datetime import timedelta

from django.utils import timezone

from anliegen.promises import rates
from anliegen.promises.models import Promise
from tests.promises.factories import webform


def test_rates_count_kept_on_time_over_due(brand, agents):
    case = webform(brand, "jana@example.org", "Ausfall", "Der Strom war weg.", "s1")
    now = timezone.now()

    def p(owner, due_hours_ago, state="open", closed_hours_ago=None, **kw):
        return Promise.objects.create(
            case=case,
            brand=brand,
            owner=owner,
            kind="callback",
            due_at=now - timedelta(hours=due_hours_ago),
            state=state,
            closed_at=now - timedelta(hours=closed_hours_ago) if closed_hours_ago is not None else None,
            **kw,
        )

    anna, ben = agents["anna"], agents["ben"]
    p(anna, 10, "kept", 12)  # on time
    p(anna, 10, "kept", 5)  # late
    p(anna, 10, "cancelled", 11)  # withdrawn: not counted
    p(anna, -10)  # not due yet: not counted
    p(ben, 3, "kept", 4)
    p(ben, 3, "broken", 1)
    p(ben, 1)  # open and overdue
    by_agent = {r.label: r for r in rates.by_agent([brand.pk])}
    assert (
        by_agent["Anna Schmidt"].due,
        by_agent["Anna Schmidt"].kept_on_time,
        by_agent["Anna Schmidt"].kept_late,
    ) == (2, 1, 1)
    assert by_agent["Anna Schmidt"].percent == "50 %"
    ben_rate = by_agent["Ben Wagner"]
    assert (ben_rate.due, ben_rate.kept_on_time, ben_rate.broken, ben_rate.overdue) == (3, 1, 1, 1)
    [team] = rates.by_team([brand.pk])
    assert (team.label, team.due, team.kept_on_time) == ("Stadtwerk Nord", 5, 2)
    assert rates.by_team([]) == []
