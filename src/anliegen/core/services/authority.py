"""Authority as data: what a decision needs, who may take it, who is present to answer."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from anliegen.core.models import Agent, Brand, Case, Membership, Presence
from anliegen.core.models.case import OPEN_STATES

# The authority keys the product knows, and the type of value each takes.
AUTHORITY_KEYS: dict[str, type] = {
    "credit_max_cents": int,
    "may_replace_device": bool,
    "may_cancel_contract": bool,
}


def covers(authority: dict, needs: dict) -> bool:
    """True when an agent's authority covers every need: limits by amount, permissions by flag."""
    for key, needed in (needs or {}).items():
        have = (authority or {}).get(key)
        if isinstance(needed, bool):
            if needed and not have:
                return False
        elif isinstance(needed, int | float):
            if not isinstance(have, int | float) or have < needed:
                return False
        elif needed and have != needed:
            return False
    return True


def candidates(brand: Brand) -> list[Agent]:
    """The brand's agents with their open-case load, in one query."""
    return list(
        Agent.objects.filter(memberships__brand=brand)
        .annotate(load=Count("owned_cases", filter=Q(owned_cases__state__in=OPEN_STATES)))
        .order_by("pk")
    )


class AuthorityError(ValueError):
    """A need or an authority that the product does not understand; the message says which."""


def clean_needs(needs: dict) -> dict:
    """Validated needs: known keys only, amounts positive whole cents, permissions true."""
    if not isinstance(needs, dict) or not needs:
        raise AuthorityError(_("say what the decision needs (a credit amount or a permission)"))
    cleaned: dict = {}
    for key, value in needs.items():
        kind = AUTHORITY_KEYS.get(key)
        if kind is None:
            raise AuthorityError(_("unknown need %(key)r") % {"key": key})
        if kind is int:
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise AuthorityError(_("%(key)s must be a positive amount in cents") % {"key": key})
        elif value is not True:
            raise AuthorityError(_("%(key)s must be true") % {"key": key})
        cleaned[key] = value
    return cleaned


def may_decide(agent: Agent, needs: dict) -> bool:
    return covers(agent.authority, needs)


def money(cents: int, currency: str = "EUR") -> str:
    """An amount as the customer reads it in the active language: 20.00 EUR / 20,00 EUR."""
    return f"{number_format(cents / 100, decimal_pos=2, use_l10n=True)} {currency}"


def describe(needs: dict) -> str:
    """The needs in words, for agents and customers, in the active language."""
    parts = []
    if cents := needs.get("credit_max_cents"):
        parts.append(_("a credit of %(amount)s") % {"amount": money(cents)})
    if needs.get("may_replace_device"):
        parts.append(_("a device replacement"))
    if needs.get("may_cancel_contract"):
        parts.append(_("a contract cancellation"))
    return ", ".join(parts)


def is_absent(agent: Agent) -> bool:
    """On leave, or not at the desk right now."""
    return agent.on_leave or agent.presence != Presence.ONLINE


def acting_agent(case: Case) -> Agent:
    """Who answers the case now: the owner, or while the owner is absent a present deputy of theirs."""
    owner = case.owner
    deputy = owner.deputy
    if is_absent(owner) and deputy is not None and not is_absent(deputy) and is_member(deputy, case.brand_id):
        return deputy
    return owner


def is_member(agent: Agent, brand_id: int) -> bool:
    return agent.memberships.filter(brand_id=brand_id).exists()


def is_supervisor(agent: Agent, brand_id: int) -> bool:
    roles = (Membership.Role.SUPERVISOR, Membership.Role.ADMIN)
    return agent.memberships.filter(brand_id=brand_id, role__in=roles).exists()


def supervisors(brand: Brand | int) -> list[Agent]:
    brand_id = brand if isinstance(brand, int) else brand.pk
    roles = (Membership.Role.SUPERVISOR, Membership.Role.ADMIN)
    return list(Agent.objects.filter(memberships__brand_id=brand_id, memberships__role__in=roles).order_by("pk"))
