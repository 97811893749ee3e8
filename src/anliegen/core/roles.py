"""Roles per brand, ranked: agent < supervisor < admin. The one place that says whether an agent reaches a role."""

from __future__ import annotations

from anliegen.base.prepared import Prepared
from anliegen.core.models import Agent, Membership

AGENT, SUPERVISOR, ADMIN = Membership.Role.AGENT, Membership.Role.SUPERVISOR, Membership.Role.ADMIN
RANK = {AGENT: 0, SUPERVISOR: 1, ADMIN: 2}


def of(agent: Agent) -> dict[int, str]:
    """{brand id: role} of the agent's memberships; read once per agent instance (one request, one frame)."""
    cached = getattr(agent, "_desk_roles", None)
    if cached is None:
        cached = dict(Membership.objects.filter(agent=agent).values_list("brand_id", "role"))
        agent._desk_roles = cached
    return cached


def agent_for_user(user_id: int) -> Agent | None:
    """The agent of a user with their memberships, in one statement (every desk request starts with both)."""
    memberships = _WITH_AGENT(user=user_id)
    if not memberships:  # no brand yet, or no agent at all
        agent = Agent.objects.filter(user_id=user_id).first()
        if agent is not None:
            agent._desk_roles = {}
        return agent
    agent = memberships[0].agent
    agent._desk_roles = {m.brand_id: m.role for m in memberships}
    return agent


_WITH_AGENT = Prepared(lambda user: Membership.objects.filter(agent__user_id=user).select_related("agent"))


def reaches(role: str | None, lowest: str) -> bool:
    return role is not None and RANK.get(role, -1) >= RANK[lowest]


def effective(agent: Agent, role: str) -> str:
    # Staff administer the installation: in every brand they belong to they act as its admin.
    return ADMIN if agent.user.is_staff else role


def has(agent: Agent, brand_id: int, lowest: str) -> bool:
    """Whether the agent holds at least `lowest` in this brand (a role elsewhere counts for nothing here)."""
    role = of(agent).get(brand_id)
    return role is not None and reaches(effective(agent, role), lowest)


def brand_ids(agent: Agent, lowest: str) -> list[int]:
    """The agent's brands in which they hold at least `lowest`, sorted."""
    return sorted(pk for pk, role in of(agent).items() if reaches(effective(agent, role), lowest))
