"""Creating brands, agents and teams: used by the admin, the `brand`/`agent`/`setup` commands, the demo and the tests."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import DomainNameValidator
from django.db import transaction

from anliegen.core.models import Agent, Brand, Membership, Presence, Team

# First path segments the product uses itself; a brand's contact form lives at /<slug>/contact/.
RESERVED_SLUGS = {"admin", "api", "c", "desk", "i18n", "media", "rate", "static", "ws"}


def check_mail_domain(domain: str) -> None:
    try:
        DomainNameValidator(accept_idna=False)(domain)
    except ValidationError as exc:
        raise ValueError(f"not a mail domain: {domain!r}") from exc


@transaction.atomic
def create_brand(slug: str, name: str, mail_domain: str, **fields: object) -> Brand:
    if slug in RESERVED_SLUGS:
        raise ValueError(f"{slug!r} is a path of the product itself; choose another slug")
    check_mail_domain(mail_domain)
    fields.setdefault("support_address", f"service@{mail_domain}")
    return Brand.objects.create(slug=slug, name=name, mail_domain=mail_domain, **fields)


@transaction.atomic
def create_agent(
    brand: Brand | list[Brand],
    username: str,
    name: str,
    password: str,
    *,
    email: str = "",
    role: str = Membership.Role.AGENT,
    languages: list[str] | None = None,
    extension: str = "",
    authority: dict | None = None,
    skills: list[str] | None = None,
    presence: str = Presence.ONLINE,
    capacity: int = 40,
    staff: bool = False,
    superuser: bool | None = None,
) -> Agent:
    brands = brand if isinstance(brand, list) else [brand]
    user = get_user_model().objects.create_user(
        username=username,
        password=password,
        email=email or f"{username}@{brands[0].mail_domain}",
        first_name=name.split()[0],
        last_name=" ".join(name.split()[1:]),
        is_staff=staff,
        is_superuser=staff if superuser is None else superuser,
    )
    agent = Agent.objects.create(
        user=user,
        name=name,
        mailbox=username,
        extension=extension,
        languages=languages or ["de"],
        authority=authority or {},
        skills=skills or [],
        presence=presence,
        capacity=capacity,
    )
    for b in brands:
        Membership.objects.create(agent=agent, brand=b, role=role)
        if b.default_owner_id is None:
            # Never nobody: a brand's first agent takes its cases when no one else is available.
            b.default_owner = agent
            b.save(update_fields=["default_owner"])
    return agent


def check_team(brand: Brand, members: list[Agent], lead: Agent | None, topics: list[str]) -> None:
    """A team's people all work for its brand, its lead is one of them, its topics are intents routing knows."""
    from anliegen.core.intents import INTENTS

    inside = set(Membership.objects.filter(brand=brand, agent__in=members).values_list("agent_id", flat=True))
    if outside := sorted(a.mailbox for a in members if a.pk not in inside):
        raise ValueError(f"not agents of {brand.slug}: {', '.join(outside)}")
    if lead is not None and lead.pk not in {a.pk for a in members}:
        raise ValueError(f"the team lead {lead.mailbox} is not one of the members")
    if unknown := sorted(set(topics) - set(INTENTS)):
        raise ValueError(f"unknown topics {', '.join(unknown)} (known: {', '.join(INTENTS)})")


@transaction.atomic
def create_team(
    brand: Brand, name: str, members: list[Agent] = (), lead: Agent | None = None, topics: list[str] = ()
) -> Team:
    members, topics = list(members), list(topics)
    check_team(brand, members, lead, topics)
    if Team.objects.filter(brand=brand, name=name).exists():
        raise ValueError(f"{brand.slug} has a team {name!r} already")
    team = Team.objects.create(brand=brand, name=name, lead=lead, topics=topics)
    team.members.set(members)
    return team


def parse_list(text: str | None) -> list[str]:
    """ "de, en" or "de en" -> ["de", "en"] (empty items dropped, order kept, no repeats)."""
    items = [item.strip() for item in re.split(r"[,\s]+", text or "")]
    return list(dict.fromkeys(item for item in items if item))


def authority_from(credit_eur: Decimal | str | None, may_replace_device: bool, may_cancel_contract: bool) -> dict:
    """Authority as stored (credit limit in whole cents) from what an operator types (euros)."""
    authority: dict = {}
    if credit_eur not in (None, ""):
        try:
            cents = int((Decimal(str(credit_eur).replace(",", ".")) * 100).to_integral_value())
        except InvalidOperation as exc:
            raise ValueError(f"not an amount in euros: {credit_eur!r}") from exc
        if cents < 0:
            raise ValueError("a credit limit cannot be negative")
        authority["credit_max_cents"] = cents
    if may_replace_device:
        authority["may_replace_device"] = True
    if may_cancel_contract:
        authority["may_cancel_contract"] = True
    return authority


DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def parse_service_hours(text: str) -> dict:
    """ "mon-fri 08:00-18:00", "mon-sat 07:30-20:00" or "always" -> the brand's service_hours."""
    text = text.strip().lower()
    if text in ("always", "24/7", ""):
        return {}
    match = re.fullmatch(r"([a-z]{3})(?:-([a-z]{3}))?\s+(\d{1,2}:\d{2})-(\d{1,2}:\d{2})", text)
    if not match or match[1] not in DAYS or (match[2] and match[2] not in DAYS):
        raise ValueError(f'service hours look like "mon-fri 08:00-18:00" or "always", not {text!r}')
    first, last = DAYS.index(match[1]), DAYS.index(match[2] or match[1])
    if last < first:
        raise ValueError(f"{match[1]}-{match[2]}: the first day comes first")
    start, end = (f"{int(t.split(':')[0]):02d}:{t.split(':')[1]}" for t in (match[3], match[4]))
    if not start < end <= "24:00":
        raise ValueError(f"{match[3]}-{match[4]}: the service day must end after it starts")
    return {"days": list(range(first, last + 1)), "start": start, "end": end}
