"""Creating brands and agents: used by the admin, the demo and the tests alike."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction

from anliegen.core.models import Agent, Brand, Membership, Presence


@transaction.atomic
def create_brand(slug: str, name: str, mail_domain: str, **fields: object) -> Brand:
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
) -> Agent:
    brands = brand if isinstance(brand, list) else [brand]
    user = get_user_model().objects.create_user(
        username=username,
        password=password,
        email=email or f"{username}@{brands[0].mail_domain}",
        first_name=name.split()[0],
        last_name=" ".join(name.split()[1:]),
        is_staff=staff,
        is_superuser=staff,
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
    return agent
