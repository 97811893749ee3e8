"""API: open escalations an agent sees, resolving them, and contact merge proposals."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from anliegen.core.models import Escalation, MergeProposal
from anliegen.core.services import escalation, merge

from .errors import responses
from .schemas import EscalationOut, ProposalOut, ResolveIn
from .scope import agent_of, brand_ids, reader

router = Router()


@router.get("/escalations", response=responses({200: list[EscalationOut]}), tags=["escalations"])
def open_escalations(request: HttpRequest) -> list:
    return escalation.open_for(agent_of(request))


@router.post("/escalations/{escalation_id}/resolve", response=responses({200: EscalationOut}), tags=["escalations"])
def resolve(request: HttpRequest, escalation_id: int, data: ResolveIn) -> Escalation:
    agent = agent_of(request)
    found = Escalation.objects.filter(pk=escalation_id, brand_id__in=brand_ids(agent)).select_related("to_agent")
    if not found:
        raise HttpError(404, "no such escalation")
    return escalation.check_resolve(found[0], agent, data.resolution)


@router.get("/merge-proposals", response=responses({200: list[ProposalOut]}), tags=["contacts"])
def proposals(request: HttpRequest) -> list:
    brands = reader(request).brand_ids
    return list(MergeProposal.objects.filter(brand_id__in=brands, state=MergeProposal.State.OPEN)[:200])


@router.post("/merge-proposals/{proposal_id}/{decision}", response=responses({200: ProposalOut}), tags=["contacts"])
def decide(request: HttpRequest, proposal_id: int, decision: str) -> MergeProposal:
    agent = agent_of(request)
    proposal = MergeProposal.objects.filter(pk=proposal_id, brand_id__in=brand_ids(agent)).first()
    if proposal is None:
        raise HttpError(404, "no such proposal")
    if decision == "merge":
        if proposal.state != MergeProposal.State.OPEN:
            raise HttpError(400, "this proposal was already decided")
        merge.check_merge_contacts(proposal.contact, proposal.other, agent)
    elif decision == "dismiss":
        merge.check_dismiss_proposal(proposal, agent)
    else:
        raise HttpError(404, "unknown decision: use merge or dismiss")
    proposal.refresh_from_db()
    return proposal
