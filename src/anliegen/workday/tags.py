"""Tags on cases: added and removed by agents of the case's brand, each change audited."""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from anliegen.audit import services as audit
from anliegen.base.prepared import Prepared
from anliegen.core.models import Agent, Case
from anliegen.core.services import case_updates

from .models import CaseTag, Tag

MAX_TAGS_PER_CASE = 20


class TagError(ValueError):
    """A tag that cannot be added; the message is shown to the agent."""


def normalise(name: str) -> str:
    """Lower case, inner spaces as hyphens: "Rückruf Heute" and "rückruf-heute" are one tag."""
    return re.sub(r"\s+", "-", name.strip().lower())[:40]


def tags_of(case_ids: list[int] | set[int]) -> dict[int, list[str]]:
    """{case id: tag names, sorted} for a page of cases: one query."""
    found: dict[int, list[str]] = {}
    for case_id, name in _OF_CASES(cases=sorted(case_ids)):
        found.setdefault(case_id, []).append(name)
    return found


def brand_tags(brand_id: int) -> list[str]:
    return _BRAND_NAMES(brand=brand_id)


def names_in(brand_ids: list[int]) -> list[str]:
    """The tag names used in these brands, each once (a name may be a tag of several brands)."""
    return list(names_query(brand_ids))


def names_query(brand_ids: list[int]):  # noqa: ANN201 - a queryset
    """The query of names_in, for a caller that prepares it (base/prepared.py)."""
    return Tag.objects.filter(brand_id__in=brand_ids).order_by("name").values_list("name", flat=True).distinct()[:500]


_BRAND_NAMES = Prepared(lambda brand: names_query([brand]))
_OF_CASES = Prepared(
    lambda cases: CaseTag.objects.filter(case_id__in=cases).order_by("tag__name").values_list("case_id", "tag__name")
)
_OF_CASE = Prepared(lambda case: Tag.objects.filter(cases=case).order_by("name"))


def of_case(case: Case) -> list[Tag]:
    """The case's tags by name, as its page shows them."""
    return _OF_CASE(case=case.pk)


def tagged(name: str) -> Q:
    """Cases carrying a tag of this name (of their own brand: a case only ever carries its brand's tags)."""
    return Q(Exists(CaseTag.objects.filter(case_id=OuterRef("pk"), tag__name=normalise(name))))


@transaction.atomic
def check_add_tag(case: Case, agent: Agent, name: str, announce: bool = True) -> Tag:
    """Tag the case, making the brand's tag on first use; a tag the case has already is no change."""
    name = normalise(name)
    if not name:
        raise TagError(_("A tag needs a name."))
    tag, _made = Tag.objects.get_or_create(brand_id=case.brand_id, name=name)
    if CaseTag.objects.filter(case=case, tag=tag).exists():
        return tag
    if CaseTag.objects.filter(case=case).count() >= MAX_TAGS_PER_CASE:
        raise TagError(_("A case has at most %(count)d tags.") % {"count": MAX_TAGS_PER_CASE})
    CaseTag.objects.create(case=case, tag=tag)
    audit.record(agent, audit.Action.CASE_TAG, case, {"added": tag.pk})
    if announce:
        case_updates.announce(case)
    return tag


@transaction.atomic
def do_remove_tag(case: Case, agent: Agent, tag_id: int) -> bool:
    """Untag the case; only a tag of the case's own brand is looked at, so another brand's id does nothing."""
    deleted, _rows = CaseTag.objects.filter(case=case, tag_id=tag_id, tag__brand_id=case.brand_id).delete()
    if not deleted:
        return False
    audit.record(agent, audit.Action.CASE_TAG, case, {"removed": tag_id})
    case_updates.announce(case)
    return True
