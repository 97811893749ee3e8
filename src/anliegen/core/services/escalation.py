"""Escalation: a decision beyond the owner's authority goes to someone who may take it; the owner stays."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from anliegen.base import realtime
from anliegen.core.models import Agent, Case, CaseEvent, Escalation

from . import authority, notices


class EscalationError(ValueError):
    """An escalation that cannot be made or resolved; the message is shown to the agent."""


def choose_decider(case: Case, asking: Agent, need: dict) -> Agent | None:
    """A colleague of the brand whose authority covers the need: present first, then least loaded.

    Without one, a supervisor of the brand decides (or takes it further).
    """
    pool = [a for a in authority.candidates(case.brand) if a.pk != asking.pk]
    able = [a for a in pool if authority.may_decide(a, need)]
    if able:
        return min(able, key=lambda a: (authority.is_absent(a), a.load / max(a.capacity, 1), a.pk))
    chiefs = [a for a in authority.supervisors(case.brand_id) if a.pk != asking.pk]
    if chiefs:
        return min(chiefs, key=lambda a: (authority.is_absent(a), a.pk))
    return None


@transaction.atomic
def check_escalate(case: Case, agent: Agent, need: dict, note: str) -> Escalation:
    """Validate and escalate: the need must exceed the agent's authority and someone must be able to decide."""
    if not authority.is_member(agent, case.brand_id):
        raise EscalationError(_("you do not work for this brand"))
    try:
        need = authority.clean_needs(need)
    except authority.AuthorityError as exc:
        raise EscalationError(str(exc)) from exc
    if not (note or "").strip():
        raise EscalationError(_("say what is to be decided and why, so nobody has to ask the customer again"))
    if authority.may_decide(agent, need):
        raise EscalationError(_("your authority covers this: you can decide it yourself"))
    if any(e.need == need for e in case.escalations.filter(state=Escalation.State.OPEN)):
        raise EscalationError(_("this decision is already escalated"))
    decider = choose_decider(case, agent, need)
    if decider is None:
        raise EscalationError(_("nobody at this brand may decide this; ask an administrator to extend authority"))
    return do_escalate(case, agent, decider, need, note.strip())


def do_escalate(case: Case, agent: Agent, decider: Agent, need: dict, note: str) -> Escalation:
    escalation = Escalation.objects.create(
        case=case, brand=case.brand, from_agent=agent, to_agent=decider, need=need, note=note
    )
    case.needs = {**(case.needs or {}), **need}
    case.save(update_fields=["needs", "updated_at"])
    CaseEvent.objects.create(
        case=case,
        kind=CaseEvent.Kind.ESCALATED,
        actor=agent,
        text=note,
        data={"escalation": escalation.pk, "to": decider.pk, "need": need},
    )
    notices.tell_customer(
        case,
        "escalated",
        gettext_lazy("Re: %(subject)s"),
        {"decider": decider, "need_text": _need_text(case, need)},
        author=agent,
    )
    event = {"type": "escalation.opened", "brand": case.brand_id, "case": case.pk, "escalation": escalation.pk}
    transaction.on_commit(lambda: realtime.publish(event | {"agent": decider.pk}))
    return escalation


def _need_text(case: Case, need: dict) -> str:
    from django.utils import translation

    with translation.override(case.language or case.brand.default_language):
        return authority.describe(need)


@transaction.atomic
def check_resolve(escalation: Escalation, agent: Agent, resolution: str) -> Escalation:
    """The decider (or a supervisor) records the decision; the owner sees it on the case."""
    if escalation.state != Escalation.State.OPEN:
        raise EscalationError(_("this escalation is already resolved"))
    allowed = agent.pk == escalation.to_agent_id or authority.is_supervisor(agent, escalation.brand_id)
    if not allowed:
        raise EscalationError(_("only the colleague asked or a supervisor can resolve this escalation"))
    if not (resolution or "").strip():
        raise EscalationError(_("write down the decision"))
    escalation.state, escalation.resolution = Escalation.State.RESOLVED, resolution.strip()
    escalation.resolved_by, escalation.resolved_at = agent, timezone.now()
    escalation.save(update_fields=["state", "resolution", "resolved_by", "resolved_at"])
    CaseEvent.objects.create(
        case=escalation.case,
        kind=CaseEvent.Kind.ESCALATED,
        actor=agent,
        text=resolution.strip(),
        data={"escalation": escalation.pk, "resolved": True},
    )
    event = {"type": "escalation.resolved", "brand": escalation.brand_id, "case": escalation.case_id}
    transaction.on_commit(lambda: realtime.publish(event | {"agent": escalation.from_agent_id}))
    return escalation


def open_for(agent: Agent) -> list[Escalation]:
    """What this agent sees: escalations to them, and as supervisor every open one of their brands."""
    from django.db.models import Q

    from anliegen.core.models import Membership

    chief_of = agent.memberships.filter(role__in=[Membership.Role.SUPERVISOR, Membership.Role.ADMIN]).values("brand")
    return list(
        Escalation.objects.filter(state=Escalation.State.OPEN)
        .filter(Q(to_agent=agent) | Q(brand__in=chief_of))
        .filter(brand__in=agent.memberships.values("brand"))  # one asked, then moved out of the brand, sees none
        .select_related("case", "from_agent", "to_agent", "brand")
        .order_by("created_at", "id")
    )
