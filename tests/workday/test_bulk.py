"""Bulk actions: each case as its single action (audited), and another brand's ids are never acted on."""

from __future__ import annotations

import pytest
from django.utils import timezone

from anliegen.core.models import Case, Incident
from anliegen.workday import bulk


@pytest.fixture
def two_brands(brand, agents, other_brand, make_case):
    mine = [make_case(brand, agents["anna"], f"Fall {n}") for n in range(3)]
    foreign = make_case(other_brand, other_brand.default_owner, "Fremder Fall")
    return mine, foreign


def _states(cases) -> list[str]:
    return [Case.objects.get(pk=c.pk).state for c in cases]


def test_solve_skips_another_brands_case(audit, two_brands, agents):
    mine, foreign = two_brands
    result = bulk.check_apply(agents["anna"], "solve", [c.pk for c in mine] + [foreign.pk])
    assert sorted(result.done) == sorted(c.pk for c in mine) and result.skipped == {}
    assert _states(mine) == ["solved"] * 3 and _states([foreign]) == ["open"]
    assert audit.filter(action="case.state").count() == 3
    again = bulk.check_apply(agents["anna"], "solve", [mine[0].pk])
    assert again.done == [] and list(again.skipped) == [mine[0].pk]


def test_assign_only_to_an_agent_of_the_case_brand(audit, two_brands, agents, other_brand):
    mine, foreign = two_brands
    result = bulk.check_apply(agents["anna"], "assign", [mine[0].pk, foreign.pk], str(agents["ben"].pk))
    assert result.done == [mine[0].pk]
    assert Case.objects.get(pk=mine[0].pk).owner == agents["ben"]
    assert Case.objects.get(pk=foreign.pk).owner == other_brand.default_owner
    refused = bulk.check_apply(agents["anna"], "assign", [mine[1].pk], str(other_brand.default_owner.pk))
    assert refused.done == [] and mine[1].pk in refused.skipped
    assert audit.filter(action="case.assign").count() == 1


def test_tag_and_link_to_incident(audit, two_brands, agents, brand, other_brand):
    mine, foreign = two_brands
    bulk.check_apply(agents["anna"], "tag", [c.pk for c in mine] + [foreign.pk], "Sturm")
    assert all(c.tags.get().name == "sturm" for c in mine) and not foreign.tags.exists()
    incident = Incident.objects.create(brand=brand, title="Sturm", starts_at=timezone.now())
    foreign_incident = Incident.objects.create(brand=other_brand, title="Fremd", starts_at=timezone.now())
    result = bulk.check_apply(agents["anna"], "incident", [mine[0].pk, mine[1].pk], str(incident.pk))
    assert len(result.done) == 2 and Case.objects.get(pk=mine[0].pk).incident == incident
    assert audit.filter(action="case.incident").count() == 2
    refused = bulk.check_apply(agents["anna"], "incident", [mine[2].pk], str(foreign_incident.pk))
    assert refused.done == [] and Case.objects.get(pk=mine[2].pk).incident is None


def test_unknown_action_or_missing_target(agents, two_brands):
    mine, _foreign = two_brands
    with pytest.raises(bulk.BulkError):
        bulk.check_apply(agents["anna"], "delete", [mine[0].pk])
    with pytest.raises(bulk.BulkError):
        bulk.check_apply(agents["anna"], "assign", [mine[0].pk])
