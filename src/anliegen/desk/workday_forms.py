"""Forms of the working day: a saved view's filter and a bulk action; choices are cut to the agent's brands."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from anliegen.base.prepared import Prepared
from anliegen.core import roles
from anliegen.core.models import Agent, CaseState, Channel, Incident, Team
from anliegen.promises.models import Promise
from anliegen.workday.bulk import MAX_SELECTION
from anliegen.workday.models import Macro, Tag

from . import scope

STATES = [("", _("open and waiting")), ("all", _("any state")), *CaseState.choices]
SLA = [("", _("any")), ("risk", _("at risk")), ("breach", _("breached"))]
INCIDENTS = [("", _("any")), ("any", _("linked to an incident")), ("none", _("not linked"))]
LANGUAGES = [("", _("any")), ("de", _("German")), ("en", _("English"))]


def _named(rows: list[tuple[int, str, str]], many: bool) -> list[tuple[int, str]]:
    # With several brands a name says which brand it is of.
    return [(pk, f"{name} ({brand})" if many else name) for pk, name, brand in rows]


class SavedViewForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=80)
    brand = forms.TypedChoiceField(label=_("Brand"), coerce=int)
    shared = forms.BooleanField(label=_("Share with the whole brand (supervisors)"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False, choices=STATES)
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    tag = forms.TypedChoiceField(label=_("Tag"), required=False, coerce=int, empty_value=None)
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)
    team = forms.TypedChoiceField(label=_("Team"), required=False, coerce=int, empty_value=None)
    language = forms.ChoiceField(label=_("Language"), required=False, choices=LANGUAGES)
    incident = forms.ChoiceField(label=_("Incident"), required=False)
    older_than_days = forms.IntegerField(label=_("Older than (days)"), required=False, min_value=0, max_value=3650)
    sla = forms.ChoiceField(label=_("Service level"), required=False, choices=SLA)

    def __init__(self, agent: Agent, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._agent = agent
        ids = scope.brand_ids(agent)
        many = len(ids) > 1
        self.fields["brand"].choices = list(scope.brands(agent).values_list("pk", "name"))
        self.fields["channel"].choices = [("", _("any")), *Channel.choices]
        any_ = [("", _("any"))]
        tags = Tag.objects.filter(brand_id__in=ids).values_list("pk", "name", "brand__name")
        self.fields["tag"].choices = any_ + _named(list(tags), many)
        owners = Agent.objects.filter(memberships__brand_id__in=ids).distinct().order_by("name")
        self.fields["owner"].choices = any_ + [(a.pk, a.name) for a in owners]
        teams = Team.objects.filter(brand_id__in=ids).values_list("pk", "name", "brand__name")
        self.fields["team"].choices = any_ + _named(list(teams), many)
        active = Incident.objects.filter(brand_id__in=ids, state=Incident.State.ACTIVE).values_list("pk", "title")
        self.fields["incident"].choices = INCIDENTS + [(str(pk), title) for pk, title in active]

    def clean(self) -> dict:
        data = super().clean()
        brand = data.get("brand")
        if data.get("shared") and brand and not roles.has(self._agent, brand, roles.SUPERVISOR):
            self.add_error("shared", _("Only a supervisor of the brand shares a view with it."))
        return data

    def filters(self) -> dict:
        keys = ("state", "channel", "tag", "owner", "team", "language", "incident", "older_than_days", "sla")
        return {key: self.cleaned_data.get(key) for key in keys}


class MacroForm(forms.ModelForm):
    """A text block as supervisors edit it in the desk; the brand is one of those they supervise."""

    brand = forms.TypedChoiceField(label=_("Brand"), coerce=int)

    class Meta:
        model = Macro
        fields = ["name", "language", "body", "set_state", "note", "promise_kind", "promise_text", "promise_hours"]
        fields += ["active"]
        widgets = {"language": forms.Select(choices=LANGUAGES[1:])}

    def __init__(self, brands: list[tuple[int, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = brands
        if self.instance.pk:
            self.fields["brand"].initial = self.instance.brand_id
            self.fields["brand"].disabled = True
        kinds = self.fields["promise_kind"]
        kinds.choices = [(k, label) for k, label in kinds.choices if k != Promise.Kind.CREDIT]


# Ids and names only: agents as model instances decode their JSON columns, on every list page. Both are read on
# every list page, compiled once (base/prepared.py).
_BULK_OWNERS = Prepared(
    lambda brands: (
        Agent.objects.filter(memberships__brand_id__in=brands)
        .distinct()
        .order_by("name", "pk")
        .values_list("pk", "name")
    )
)
_BULK_INCIDENTS = Prepared(
    lambda brands: Incident.objects.filter(brand_id__in=brands, state=Incident.State.ACTIVE).values_list(
        "pk", "title", "brand__name"
    )
)


class BulkForm(forms.Form):
    ACTIONS = [
        ("assign", _("Assign to")),
        ("tag", _("Tag")),
        ("solve", _("Solve")),
        ("incident", _("Link to incident")),
    ]
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    owner = forms.TypedChoiceField(label=_("Owner"), required=False, coerce=int, empty_value=None)
    tag = forms.CharField(label=_("Tag"), required=False, max_length=40)
    incident = forms.TypedChoiceField(label=_("Incident"), required=False, coerce=int, empty_value=None)

    def __init__(self, agent: Agent, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = scope.brand_ids(agent)
        many = len(ids) > 1
        self.fields["owner"].choices = [("", "—"), *_BULK_OWNERS(brands=ids)]
        self.fields["incident"].choices = [("", "—"), *_named(_BULK_INCIDENTS(brands=ids), many)]

    def case_ids(self) -> list[int]:
        """The selected ids as numbers; anything else is dropped (the service keeps only the agent's brands)."""
        values = self.data.getlist("cases") if hasattr(self.data, "getlist") else []
        return [int(v) for v in values[: MAX_SELECTION * 2] if str(v).isdigit()]

    def target(self) -> str:
        action = self.cleaned_data["action"]
        value = {"assign": "owner", "tag": "tag", "incident": "incident"}.get(action)
        return "" if value is None or self.cleaned_data.get(value) is None else str(self.cleaned_data[value])
