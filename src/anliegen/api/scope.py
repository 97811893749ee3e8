"""Who is asking and what they may see: a signed-in agent or an integration's token, and their brands."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja.errors import HttpError

from anliegen.core import roles
from anliegen.core.models import Agent, Case
from anliegen.integrations import tokens
from anliegen.integrations.models import Integration, Scope


@dataclass
class Principal:
    brand_ids: list[int]
    scopes: frozenset[str]
    agent: Agent | None = None
    integration: Integration | None = None
    admin_brand_ids: list[int] = field(default_factory=list)
    # Brands whose supervisor work (a contact's export) the caller may do: an agent's supervised brands, or
    # for an integration those of its admin scope.
    supervisor_brand_ids: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.supervisor_brand_ids = self.supervisor_brand_ids or list(self.admin_brand_ids)

    def actor(self, case: Case) -> Agent:
        """Who a change is recorded as: the agent, or for an integration the case's owner (whose case it is)."""
        return self.agent or case.owner


def principal(request: HttpRequest) -> Principal:
    cached = getattr(request, "_api_principal", None)
    if cached is not None:
        return cached
    if isinstance(request.auth, Integration):
        integration = request.auth
        brands = tokens.brand_ids(integration)
        admin = brands if Scope.ADMIN in integration.scopes else []
        found = Principal(brands, frozenset(integration.scopes), integration=integration, admin_brand_ids=admin)
    else:
        agent = getattr(request.user, "agent", None) if request.user.is_authenticated else None
        if agent is None:
            raise HttpError(403, "only agents and integrations use this API")
        admin = roles.brand_ids(agent, roles.ADMIN)
        scopes = {Scope.READ, Scope.WRITE} | ({Scope.ADMIN} if admin else set())
        found = Principal(sorted(roles.of(agent)), frozenset(scopes), agent=agent, admin_brand_ids=admin)
        found.supervisor_brand_ids = roles.brand_ids(agent, roles.SUPERVISOR)
    request._api_principal = found
    return found


def require(request: HttpRequest, scope: str) -> Principal:
    found = principal(request)
    if scope not in found.scopes:
        raise HttpError(403, f"this token lacks the scope '{scope}'")
    return found


def reader(request: HttpRequest) -> Principal:
    return require(request, Scope.READ)


def writer(request: HttpRequest) -> Principal:
    return require(request, Scope.WRITE)


def agent_of(request: HttpRequest) -> Agent:
    agent = principal(request).agent
    if agent is None:
        raise HttpError(403, "only agents do this (an integration token cannot)")
    return agent


def brand_ids(agent: Agent) -> list[int]:
    return list(agent.memberships.values_list("brand_id", flat=True))


def cases_in(brands: list[int]) -> QuerySet[Case]:
    return Case.objects.filter(brand_id__in=brands).select_related("owner", "contact", "brand")


def case_in(who: Principal, case_id: int) -> Case:
    case = cases_in(who.brand_ids).filter(pk=case_id).first()
    if case is None:
        # Another brand's case is reported exactly like a missing one: no existence leaks.
        raise HttpError(404, "no such case")
    return case
