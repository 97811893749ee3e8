"""Tags: one per name and brand, audited, and another brand's tag id never removes anything."""

from __future__ import annotations

import pytest

from anliegen.workday import tags
from anliegen.workday.models import CaseTag, Tag


def test_add_normalises_and_reuses_the_brand_tag(audit, brand, agents, make_case):
    first, second = make_case(brand, agents["anna"]), make_case(brand, agents["anna"], "Zweiter")
    tag = tags.check_add_tag(first, agents["anna"], "  Rückruf Heute ")
    assert tag.name == "rückruf-heute"
    assert tags.check_add_tag(second, agents["anna"], "rückruf-heute") == tag
    assert tags.check_add_tag(first, agents["anna"], "RÜCKRUF heute") == tag  # already there: no change
    assert Tag.objects.count() == 1 and CaseTag.objects.count() == 2
    assert audit.filter(action="case.tag").count() == 2
    assert tags.tags_of({first.pk, second.pk}) == {first.pk: ["rückruf-heute"], second.pk: ["rückruf-heute"]}
    with pytest.raises(tags.TagError):
        tags.check_add_tag(first, agents["anna"], "   ")


def test_remove_only_the_case_brand_tag(audit, brand, agents, other_brand, make_case):
    case = make_case(brand, agents["anna"])
    tag = tags.check_add_tag(case, agents["anna"], "vip")
    foreign = Tag.objects.create(brand=other_brand, name="vip")
    assert not tags.do_remove_tag(case, agents["anna"], foreign.pk)
    assert tags.tags_of([case.pk]) == {case.pk: ["vip"]}
    assert tags.do_remove_tag(case, agents["anna"], tag.pk)
    assert tags.tags_of([case.pk]) == {}
    assert audit.filter(action="case.tag", detail__removed=tag.pk).count() == 1
