"""API (read only): the incidents of the caller's brands, the agents who work for them, and search."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from anliegen.core.models import Agent, Incident
from anliegen.search import services as search_services

from .conditional import conditional_read
from .errors import responses
from .paging import PageQuery, page_of, paginate
from .schemas import AgentOut, IncidentOut, SearchHitOut
from .scope import reader

router = Router()
IncidentPage = page_of(IncidentOut, "IncidentPage")
AgentPage = page_of(AgentOut, "AgentPage")


class IncidentFilter(Schema):
    state: Incident.State | None = None


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=200)
    limit: int = Field(20, ge=1, le=100)


@router.get("/incidents", response=responses({200: IncidentPage}), tags=["incidents"])
def list_incidents(request: HttpRequest, filters: Query[IncidentFilter], page: Query[PageQuery]) -> dict:
    qs = Incident.objects.filter(brand_id__in=reader(request).brand_ids)
    if filters.state:
        qs = qs.filter(state=filters.state)
    return paginate(qs, page)


@router.get("/incidents/{incident_id}", response=responses({200: IncidentOut, 304: None}), tags=["incidents"])
def incident_detail(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = Incident.objects.filter(pk=incident_id, brand_id__in=reader(request).brand_ids).first()
    if incident is None:
        raise HttpError(404, "no such incident")
    return conditional_read(request, IncidentOut, incident)


def _agents(brands: list[int]) -> object:
    return Agent.objects.filter(memberships__brand_id__in=brands).distinct()


@router.get("/agents", response=responses({200: AgentPage}), tags=["agents"])
def list_agents(request: HttpRequest, page: Query[PageQuery]) -> dict:
    return paginate(_agents(reader(request).brand_ids), page)


@router.get("/agents/{agent_id}", response=responses({200: AgentOut, 304: None}), tags=["agents"])
def agent_detail(request: HttpRequest, agent_id: int) -> HttpResponse:
    agent = _agents(reader(request).brand_ids).filter(pk=agent_id).first()
    if agent is None:
        raise HttpError(404, "no such agent")
    return conditional_read(request, AgentOut, agent)


@router.get("/search", response=responses({200: list[SearchHitOut]}), tags=["search"])
def search(request: HttpRequest, params: Query[SearchQuery]) -> list:
    """Cases matching the words, a case number or a reply token, best first (the desk's search)."""
    hits = search_services.search(reader(request).brand_ids, params.q, limit=params.limit)
    return [hit.__dict__ | {"snippet": str(hit.snippet)} for hit in hits]
