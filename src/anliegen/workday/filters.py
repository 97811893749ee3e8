"""A case filter as saved in a view: state, channel, tag, owner, team, language, incident, age and service level.

One filter becomes one Q over Case, so a list and a count over many views read the same rule.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from anliegen.core.models import CaseState, Channel, Team
from anliegen.core.models.case import OPEN_STATES

from .models import CaseTag

STAGES = ("confirm", "answer", "resolve")
SLA_CHOICES = ("risk", "breach")  # at risk (past the warning time) or breached (past due), stage not done
INCIDENT_CHOICES = ("any", "none")


@dataclass(frozen=True)
class ViewFilter:
    state: str = ""  # "" = open and waiting
    channel: str = ""
    tag: int | None = None
    owner: int | None = None
    team: int | None = None
    language: str = ""
    incident: str = ""  # "any", "none" or an incident id
    older_than_days: int | None = None
    sla: str = ""

    @classmethod
    def from_dict(cls, data: dict) -> ViewFilter:
        """From stored or submitted values; anything unknown or malformed is dropped, never trusted."""
        known = {f.name for f in fields(cls)}
        clean: dict = {}
        for name, value in (data or {}).items():
            if name not in known or value in ("", None):
                continue
            if name in ("tag", "owner", "team", "older_than_days"):
                try:
                    clean[name] = max(0, int(value))
                except (TypeError, ValueError):
                    continue
            else:
                clean[name] = str(value)[:20]
        if clean.get("state") not in (*CaseState.values, "all", None):
            clean.pop("state")
        if clean.get("channel") not in (*Channel.values, None):
            clean.pop("channel")
        if clean.get("sla") not in (*SLA_CHOICES, None):
            clean.pop("sla")
        incident = clean.get("incident")
        if incident is not None and incident not in INCIDENT_CHOICES and not incident.isdigit():
            clean.pop("incident")
        return cls(**clean)

    def as_dict(self) -> dict:
        return {k: v for k, v in asdict(self).items() if v not in ("", None)}

    def q(self, now: datetime | None = None) -> Q:
        """The rule as a Q over Case; the caller adds the brand scope."""
        now = now or timezone.now()
        q = Q(state__in=OPEN_STATES) if not self.state else Q() if self.state == "all" else Q(state=self.state)
        if self.channel:
            q &= Q(preferred_channel=self.channel)
        if self.tag is not None:
            q &= Q(Exists(CaseTag.objects.filter(case_id=OuterRef("pk"), tag_id=self.tag)))
        if self.owner is not None:
            q &= Q(owner_id=self.owner)
        if self.team is not None:
            members = Team.members.through.objects.filter(team_id=self.team).values("agent_id")
            q &= Q(team_id=self.team) | Q(owner_id__in=members)
        if self.language:
            q &= Q(language=self.language)
        if self.incident == "any":
            q &= Q(incident__isnull=False)
        elif self.incident == "none":
            q &= Q(incident__isnull=True)
        elif self.incident:
            q &= Q(incident_id=int(self.incident))
        if self.older_than_days is not None:
            q &= Q(created_at__lt=now - timedelta(days=self.older_than_days))
        if self.sla:
            q &= sla_q(self.sla, now)
        return q


def sla_q(level: str, now: datetime) -> Q:
    """A stage of the case's clock not done: past its warning time but not yet due ("risk"), or past due ("breach")."""
    done = {"confirm": "confirmed_at", "answer": "answered_at", "resolve": "resolved_at"}
    q = Q(pk__in=[])
    for stage in STAGES:
        open_stage = Q(**{f"sla__{done[stage]}__isnull": True})
        if level == "risk":
            q |= open_stage & Q(**{f"sla__{stage}_risk__lt": now, f"sla__{stage}_due__gte": now})
        else:
            q |= open_stage & Q(**{f"sla__{stage}_due__lt": now})
    return q
