"""API: the cases of the caller's brands, their changes, and promises and escalations started on a case."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from anliegen.core.models import Agent, Case, CaseState
from anliegen.core.services import case_updates, escalation
from anliegen.promises.services import PromiseInput, check_create_promise

from .conditional import check_match, conditional_read, with_etag
from .errors import responses
from .paging import PageQuery, page_of, paginate
from .schemas import CaseDetail, CaseOut, CasePatch, EscalationIn, EscalationOut, Moment, PromiseIn, PromiseOut
from .scope import agent_of, case_in, cases_in, reader, writer

router = Router(tags=["cases"])
CasePage = page_of(CaseOut, "CasePage")


class CaseFilter(Schema):
    state: CaseState | None = None
    mine: bool = Field(False, description="only the signed-in agent's cases (no effect with a token)")
    updated_since: Moment | None = None


@router.get("", response=responses({200: CasePage}))
def list_cases(request: HttpRequest, filters: Query[CaseFilter], page: Query[PageQuery]) -> dict:
    who = reader(request)
    qs = cases_in(who.brand_ids)
    if filters.state:
        qs = qs.filter(state=filters.state)
    if filters.mine and who.agent is not None:
        qs = qs.filter(owner=who.agent)
    if filters.updated_since:
        qs = qs.filter(updated_at__gte=filters.updated_since)
    return paginate(qs, page)


def _detail(case: Case) -> Case:
    # Read-only extras for the response; never saved.
    case.identities = list(case.contact.identities.order_by("kind", "pk"))
    case.message_count = case.messages.count()
    return case


@router.get("/{case_id}", response=responses({200: CaseDetail, 304: None}))
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    return conditional_read(request, CaseDetail, _detail(case_in(reader(request), case_id)))


@router.patch("/{case_id}", response=responses({200: CaseDetail}))
def update_case(request: HttpRequest, case_id: int, data: CasePatch) -> HttpResponse:
    """Change the state or the subject; send If-Match with the ETag you read to refuse a lost update (412)."""
    who = writer(request)
    case = case_in(who, case_id)
    check_match(request, CaseDetail, _detail(case))
    actor = who.actor(case)
    if data.subject is not None and data.subject.strip() != case.subject:
        Case.objects.filter(pk=case.pk).update(subject=data.subject.strip()[:250])
    if data.state is not None:
        case_updates.change_state(case, actor, data.state)
    return with_etag(CaseDetail, _detail(case_in(who, case_id)))


@router.post("/{case_id}/promises", response=responses({201: PromiseOut}))
def create_promise(request: HttpRequest, case_id: int, data: PromiseIn) -> Status:
    who = writer(request)
    case = case_in(who, case_id)
    owner = _colleague(who.brand_ids, data.owner_id) if data.owner_id else None
    promise = check_create_promise(
        case,
        who.actor(case),
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


@router.post("/{case_id}/escalations", response=responses({201: EscalationOut}))
def escalate(request: HttpRequest, case_id: int, data: EscalationIn) -> Status:
    agent = agent_of(request)
    case = case_in(writer(request), case_id)
    return Status(201, escalation.check_escalate(case, agent, data.need, data.note))


def _colleague(brands: list[int], agent_id: int) -> Agent:
    colleague = Agent.objects.filter(pk=agent_id, memberships__brand_id__in=brands).distinct().first()
    if colleague is None:
        raise HttpError(400, "no such colleague")
    return colleague
