"""API: the cases of the agent's brands, and promises and escalations started on a case."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from anliegen.core.models import Agent, Case, CaseState
from anliegen.core.services import escalation
from anliegen.promises.services import PromiseInput, check_create_promise

from .schemas import CaseDetail, CaseOut, EscalationIn, EscalationOut, Problem, PromiseIn, PromiseOut
from .scope import agent_of, brand_ids, case_for, cases_for

router = Router(tags=["cases"])
# Deeper than any list is read page by page; an offset past it is a mistake or a probe.
MAX_OFFSET = 1_000_000


class CaseFilter(Schema):
    state: CaseState | None = None
    mine: bool = False
    # Bounded here so a huge offset is a 422, not an integer overflow in the database.
    limit: int = Field(50, ge=1, le=200)
    offset: int = Field(0, ge=0, le=MAX_OFFSET)


@router.get("", response=list[CaseOut])
def list_cases(request: HttpRequest, filters: Query[CaseFilter]) -> list:
    agent = agent_of(request)
    qs = cases_for(agent).order_by("-updated_at", "-id")
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.mine:
        qs = qs.filter(owner=agent)
    return list(qs[filters.offset : filters.offset + filters.limit])


@router.get("/{case_id}", response=CaseDetail)
def case_detail(request: HttpRequest, case_id: int) -> Case:
    case = case_for(agent_of(request), case_id)
    # Read-only extras for the response; never saved.
    case.identities = list(case.contact.identities.order_by("kind", "pk"))
    case.message_count = case.messages.count()
    return case


@router.post("/{case_id}/promises", response={201: PromiseOut, 400: Problem})
def create_promise(request: HttpRequest, case_id: int, data: PromiseIn) -> Status:
    agent = agent_of(request)
    case = case_for(agent, case_id)
    owner = _colleague(agent, data.owner_id) if data.owner_id else None
    promise = check_create_promise(
        case,
        agent,
        PromiseInput(
            kind=data.kind,
            due_at=data.due_at,
            amount_cents=data.amount_cents,
            text=data.text,
            window_end=data.window_end,
            currency=data.currency,
        ),
        owner=owner,
    )
    return Status(201, promise)


@router.post("/{case_id}/escalations", response={201: EscalationOut, 400: Problem})
def escalate(request: HttpRequest, case_id: int, data: EscalationIn) -> Status:
    agent = agent_of(request)
    case = case_for(agent, case_id)
    return Status(201, escalation.check_escalate(case, agent, data.need, data.note))


def _colleague(agent: Agent, agent_id: int) -> Agent:
    colleague = Agent.objects.filter(pk=agent_id, memberships__brand_id__in=brand_ids(agent)).distinct().first()
    if colleague is None:
        raise HttpError(400, "no such colleague")
    return colleague
