"""Who is asking and what they may see: the agent behind the session and their brands."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from ninja.errors import HttpError

from anliegen.core.models import Agent, Case


def agent_of(request: HttpRequest) -> Agent:
    agent = getattr(request.user, "agent", None) if request.user.is_authenticated else None
    if agent is None:
        raise HttpError(403, "only agents use this API")
    return agent


def brand_ids(agent: Agent) -> list[int]:
    return list(agent.memberships.values_list("brand_id", flat=True))


def cases_for(agent: Agent) -> QuerySet[Case]:
    return Case.objects.filter(brand_id__in=brand_ids(agent)).select_related("owner", "contact", "brand")


def case_for(agent: Agent, case_id: int) -> Case:
    case = cases_for(agent).filter(pk=case_id).first()
    if case is None:
        # Another brand's case is reported exactly like a missing one: no existence leaks.
        raise HttpError(404, "no such case")
    return case
