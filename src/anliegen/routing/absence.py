"""Leave and deputies: the owner stays the owner; while away, the deputy answers for them and customers know."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anliegen.core.models import Agent, Case, CaseEvent
from anliegen.core.models.case import OPEN_STATES
from anliegen.core.services import authority, notices


class AbsenceError(ValueError):
    """A leave that cannot be set; the message is shown to the agent."""


def covered_cases(agent: Agent) -> list[Case]:
    """Open cases whose absent owner has this agent as deputy: the deputy's second inbox.

    Only of the deputy's own brands: an owner who works for more brands than the deputy keeps the others apart.
    """
    return list(
        Case.objects.filter(owner__deputy=agent, state__in=OPEN_STATES, brand__in=agent.memberships.values("brand"))
        .filter(owner__on_leave=True)
        .select_related("owner", "contact", "brand")
        .order_by("-updated_at")
    )


@transaction.atomic
def do_set_leave(agent: Agent, on_leave: bool, actor: Agent | None = None) -> int:
    """Start or end a leave; customers of the agent's open cases are told who looks after them. Returns how many."""
    if agent.on_leave == on_leave:
        return 0
    deputy = agent.deputy
    if on_leave and (deputy is None or deputy.pk == agent.pk):
        raise AbsenceError(_("name a deputy before going on leave, so your customers are never left alone"))
    Agent.objects.filter(pk=agent.pk).update(on_leave=on_leave)
    agent.on_leave = on_leave
    if deputy is None:
        return 0
    told = 0
    cases = Case.objects.filter(owner=agent, state__in=OPEN_STATES).select_related("contact", "brand", "owner")
    for case in cases:
        case.owner = agent
        if not authority.is_member(deputy, case.brand_id):
            continue  # a deputy from another brand never sees this brand's customers
        text = f"{deputy} answers for {agent}" if on_leave else f"{agent} is back"
        CaseEvent.objects.create(case=case, kind=CaseEvent.Kind.DEPUTY, actor=actor or agent, text=text)
        notices.tell_customer(
            case,
            "deputy",
            gettext_lazy("Re: %(subject)s"),
            {"deputy": deputy, "back": not on_leave},
            author=deputy if on_leave else agent,
        )
        told += 1
    return told
