"""Choosing the owner of a new case: in the team taking its topic, available, speaks the language, has the
authority, least loaded."""

from __future__ import annotations

from dataclasses import dataclass

from anliegen.core.intents import INTENTS
from anliegen.core.models import Agent, Brand, Presence, Team
from anliegen.core.services.authority import candidates, covers


@dataclass(frozen=True)
class Choice:
    agent: Agent
    reason: str


def _batch_candidates(brand: Brand) -> list[Agent]:
    """Within an intake batch: the loads read once, plus the cases this batch assigned so far."""
    from anliegen.base import batch

    scope = batch.current()
    if scope is None:
        return candidates(brand)
    if brand.pk not in scope.agents:
        scope.agents[brand.pk] = candidates(brand)
    return scope.agents[brand.pk]


def choose_owner(
    brand: Brand, language: str = "", needs: dict | None = None, skill: str = "", team: Team | None = None
) -> Choice | None:
    """The owner of a new case; with `team`, one of its members (the brand's agents only if it has none)."""
    agents = _batch_candidates(brand)
    choice = None
    if team is not None:
        members = set(member_ids(team))
        choice = _choose_in_team(team, [a for a in agents if a.pk in members], language, needs, skill)
    choice = choice or _choose(brand, agents, language, needs, skill)
    if choice is not None:
        # The new case counts towards the chosen agent's load for the rest of the batch (least loaded stays true).
        choice.agent.load = getattr(choice.agent, "load", 0) + 1
    return choice


def team_for(brand: Brand, needs: dict | None) -> Team | None:
    """The brand's team whose topics (intents) include what the case asks for; the first by name."""
    wanted = {name for name, (_words, need) in INTENTS.items() if any(key in (needs or {}) for key in need)}
    if not wanted:
        return None  # most cases: no query at all
    for team in _teams(brand):
        if wanted & set(team.topics or []):
            return team
    return None


def _teams(brand: Brand) -> list[Team]:
    """The brand's teams with their members, by name; read once per intake batch (they change in the desk)."""
    from anliegen.base import batch

    scope = batch.current()
    if scope is not None and brand.pk in scope.teams:
        return scope.teams[brand.pk]
    teams = list(Team.objects.filter(brand=brand).prefetch_related("members").order_by("name"))
    if scope is not None:
        scope.teams[brand.pk] = teams
    return teams


def member_ids(team: Team) -> list[int]:
    """The team's agents (read with the team by team_for, or now)."""
    return [a.pk for a in team.members.all()]


def _best(agents: list[Agent], language: str, needs: dict | None, skill: str) -> tuple[Agent, list[str]] | None:
    """The least loaded online agent with room, narrowed by authority, language and skill where someone fits."""
    pool = [a for a in agents if a.presence == Presence.ONLINE and a.load < a.capacity]
    reasons = ["online"]
    for label, keep in (
        ("authority", lambda a: covers(a.authority, needs or {})),
        ("language", lambda a: not language or language in (a.languages or [])),
        ("skill", lambda a: not skill or skill in (a.skills or [])),
    ):
        narrowed = [a for a in pool if keep(a)]
        if narrowed:
            pool = narrowed
            reasons.append(label)
    if not pool:
        return None
    return min(pool, key=lambda a: (a.load / max(a.capacity, 1), a.load, a.pk)), reasons


def _choose_in_team(team: Team, members: list[Agent], language: str, needs: dict | None, skill: str) -> Choice | None:
    if not members:
        return None
    if found := _best(members, language, needs, skill):
        best, reasons = found
        return Choice(best, f"team {team.name}: {best.mailbox}, {', '.join(reasons)}, least loaded ({best.load})")
    lead = next((a for a in members if a.pk == team.lead_id), None)
    if lead is not None:
        return Choice(lead, f"team {team.name}: nobody online, the team lead {lead.mailbox}")
    fallback = min(members, key=lambda a: (a.load, a.pk))
    return Choice(fallback, f"team {team.name}: nobody online, least loaded member {fallback.mailbox}")


def _choose(brand: Brand, agents: list[Agent], language: str, needs: dict | None, skill: str) -> Choice | None:
    if not agents:
        return None
    if found := _best(agents, language, needs, skill):
        best, reasons = found
        return Choice(best, f"routed to {best.mailbox}: {', '.join(reasons)}, least loaded ({best.load})")
    if brand.default_owner_id:
        default = next((a for a in agents if a.pk == brand.default_owner_id), None) or brand.default_owner
        return Choice(default, f"nobody online: default owner {default.mailbox}")
    fallback = min(agents, key=lambda a: (a.load, a.pk))
    return Choice(fallback, f"nobody online and no default owner: least loaded {fallback.mailbox}")
