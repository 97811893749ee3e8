"""Who may export and erase a contact's data: supervisors and admins export, admins erase (and staff both)."""

from __future__ import annotations

from anliegen.core import roles
from anliegen.core.models import Agent


def may_export(agent: Agent, brand_id: int) -> bool:
    return roles.has(agent, brand_id, roles.SUPERVISOR)


def may_erase(agent: Agent, brand_id: int) -> bool:
    return roles.has(agent, brand_id, roles.ADMIN)
