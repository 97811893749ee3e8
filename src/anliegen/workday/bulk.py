"""Bulk actions on a selection of cases: assign, tag, solve, link to an incident; each case as its single action.

Only cases of the agent's brands are acted on: an id of another brand in the selection is skipped, unread.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from anliegen.core import roles
from anliegen.core.models import Agent, Case, CaseState, Incident
from anliegen.core.services import case_updates, cases
from anliegen.selfservice.services import incidents

from . import tags

MAX_SELECTION = 200
ACTIONS = ("assign", "tag", "solve", "incident")


class BulkError(ValueError):
    """The bulk action as a whole cannot run (unknown action, missing target); shown to the agent."""


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    skipped: dict[int, str] = field(default_factory=dict)  # case id: why (shown to the agent)


def selection(agent: Agent, case_ids: list[int]) -> list[Case]:
    """The selected cases the agent may act on, locked for the action; others are never loaded."""
    ids = sorted(set(case_ids))[:MAX_SELECTION]
    scoped = Case.objects.filter(pk__in=ids, brand_id__in=list(roles.of(agent)))
    return list(scoped.select_related("brand", "owner", "contact").select_for_update(of=("self",)).order_by("pk"))


@transaction.atomic
def check_apply(agent: Agent, action: str, case_ids: list[int], target: str = "") -> BulkResult:
    if action not in ACTIONS:
        raise BulkError(_("Unknown bulk action."))
    if not target and action in ("assign", "tag", "incident"):
        raise BulkError(_("Choose what to assign, tag or link to."))
    result = BulkResult()
    for case in selection(agent, case_ids):
        try:
            with transaction.atomic():
                _one(agent, action, case, target)
        except (cases.CaseError, tags.TagError, incidents.IncidentError, BulkError) as exc:
            result.skipped[case.pk] = str(exc)
        else:
            result.done.append(case.pk)
    return result


def _one(agent: Agent, action: str, case: Case, target: str) -> None:
    if action == "solve":
        if case.state == CaseState.SOLVED:
            raise BulkError(_("already solved"))
        case_updates.change_state(case, agent, CaseState.SOLVED)
    elif action == "tag":
        tags.check_add_tag(case, agent, target)
    elif action == "assign":
        owner = _agent_of_brand(case, target)
        if owner.pk == case.owner_id:
            raise BulkError(_("already the owner"))
        case_updates.reassign(case, agent, owner, "")
    else:
        incident = _incident_of_brand(case, target)
        if case.incident_id == incident.pk:
            raise BulkError(_("already linked"))
        incidents.do_link(case, incident, agent, why="linked in bulk")  # audited there
        case_updates.announce(case)


def _agent_of_brand(case: Case, target: str) -> Agent:
    owner = Agent.objects.filter(pk=_int(target), memberships__brand_id=case.brand_id).first()
    if owner is None:
        raise BulkError(_("the agent does not work for this case's brand"))
    return owner


def _incident_of_brand(case: Case, target: str) -> Incident:
    incident = Incident.objects.filter(pk=_int(target), brand_id=case.brand_id, state=Incident.State.ACTIVE).first()
    if incident is None:
        raise BulkError(_("no active incident of this case's brand"))
    return incident


def _int(value: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return -1
