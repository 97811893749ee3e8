"""What a report covers: brands, an optional team, agent and channel, and a date range; the filter form."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anliegen.core.models import Agent, Brand, Channel, Team

DEFAULT_DAYS = 30


@dataclass(frozen=True)
class Scope:
    brand_ids: tuple[int, ...]
    start: datetime  # inclusive
    end: datetime  # exclusive
    agent_id: int | None = None
    team_id: int | None = None
    channel: str = ""
    now: datetime | None = None  # the moment "now" means (the backlog, promises due); None: the real now

    @property
    def at(self) -> datetime:
        return self.now or timezone.now()

    def people(self, field: str) -> Q:
        """The agent and team filter on the field naming the responsible agent (owner, agent, ...)."""
        q = Q()
        if self.agent_id:
            q &= Q(**{f"{field}_id": self.agent_id})
        if self.team_id:
            q &= Q(**{f"{field}__teams": self.team_id})
        return q


class ReportFilter(forms.Form):
    brand = forms.TypedChoiceField(label=_("Brand"), required=False, coerce=int, empty_value=None)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    agent = forms.TypedChoiceField(label=_("Agent"), required=False, coerce=int, empty_value=None)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data: object, brand_ids: list[int]) -> None:
        super().__init__(data)
        self.brand_ids = brand_ids
        everyone = [("", _("all"))]
        self.fields["brand"].choices = everyone + list(
            Brand.objects.filter(pk__in=brand_ids).order_by("name").values_list("pk", "name")
        )
        self.fields["team"].choices = everyone + [
            (t.pk, f"{t.name} ({t.brand.name})")
            for t in Team.objects.filter(brand_id__in=brand_ids).select_related("brand").order_by("name")
        ]
        agents = Agent.objects.filter(memberships__brand_id__in=brand_ids).distinct().order_by("name")
        self.fields["agent"].choices = everyone + list(agents.values_list("pk", "name"))
        self.fields["channel"].choices = everyone + list(Channel.choices)

    def scope(self) -> Scope:
        """The scope of the valid form (choices keep every id within the agent's brands)."""
        data = self.cleaned_data
        brands = (data["brand"],) if data.get("brand") else tuple(self.brand_ids)
        until = data.get("until") or timezone.localdate()
        since = data.get("since") or until - timedelta(days=DEFAULT_DAYS - 1)
        return Scope(
            brand_ids=brands,
            start=_midnight(since),
            end=_midnight(until + timedelta(days=1)),
            agent_id=data.get("agent"),
            team_id=data.get("team"),
            channel=data.get("channel") or "",
        )


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())
