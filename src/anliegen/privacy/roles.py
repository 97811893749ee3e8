"""Who may export and erase a contact's data: supervisors and admins export, admins erase (and staff both)."""

from __future__ import annotations

from anliegen.core.models import Agent, Membership

EXPORT_ROLES = (Membership.Role.SUPERVISOR, Membership.Role.ADMIN)
ERASE_ROLES = (Membership.Role.ADMIN,)


def _role_in(agent: Agent, brand_id: int, allowed: tuple[str, ...]) -> bool:
    if agent.user.is_staff:
        return agent.memberships.filter(brand_id=brand_id).exists()
    return agent.memberships.filter(brand_id=brand_id, role__in=allowed).exists()


def may_export(agent: Agent, brand_id: int) -> bool:
    return _role_in(agent, brand_id, EXPORT_ROLES)


def may_erase(agent: Agent, brand_id: int) -> bool:
    return _role_in(agent, brand_id, ERASE_ROLES)
