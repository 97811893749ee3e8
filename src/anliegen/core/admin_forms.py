"""Admin forms that speak as the operator does: languages and skills as lists, authority in euros."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth import get_user_model, password_validation
from django.utils.translation import gettext_lazy as _

from anliegen.core.models import Agent, Brand, Membership, Team
from anliegen.core.services.authority import AUTHORITY_KEYS
from anliegen.core.setup import RESERVED_SLUGS, authority_from, parse_list


class ListField(forms.CharField):
    """A list of short words typed as "de, en"; stored as a JSON list."""

    def prepare_value(self, value: Any) -> Any:
        return ", ".join(value) if isinstance(value, list | tuple) else value

    def to_python(self, value: Any) -> list[str]:
        return parse_list(super().to_python(value))


class BrandForm(forms.ModelForm):
    languages = ListField(label=_("languages"), help_text=_("e.g. de, en"), required=False)
    default_region = forms.RegexField(
        label=_("default region"),
        regex=r"^[A-Za-z]{2}$",
        max_length=2,
        help_text=_("Country of phone numbers given without +code, e.g. DE, AT, CH, GB"),
    )

    def clean_default_region(self) -> str:
        return self.cleaned_data["default_region"].upper()

    class Meta:
        model = Brand
        fields = [
            "name",
            "slug",
            "mail_domain",
            "support_address",
            "hotline",
            "default_language",
            "languages",
            "default_region",
            "answer_within_hours",
            "service_hours",
            "default_owner",
            "require_two_factor",
        ]
        help_texts = {
            "service_hours": _(
                'Days 0 (Monday) to 6, e.g. {"days": [0, 1, 2, 3, 4], "start": "08:00", "end": "18:00"}'
            ),
            "mail_domain": _("Mail to any address at this domain becomes a case of this brand."),
        }

    def clean_slug(self) -> str:
        slug = self.cleaned_data["slug"]
        if slug in RESERVED_SLUGS:
            raise forms.ValidationError(_("This name is used by the product itself; choose another."))
        return slug


AGENT_FIELDS = ["name", "extension", "languages", "skills", "capacity", "presence", "on_leave", "deputy"]


class AgentForm(forms.ModelForm):
    languages = ListField(label=_("languages"), help_text=_("e.g. de, en"), required=False)
    skills = ListField(label=_("skills"), help_text=_("e.g. tv, internet, billing"), required=False)
    credit_max = forms.DecimalField(
        label=_("credit limit (EUR)"), min_value=Decimal(0), decimal_places=2, max_digits=12, required=False
    )
    may_replace_device = forms.BooleanField(label=_("may replace a device"), required=False)
    may_cancel_contract = forms.BooleanField(label=_("may cancel a contract"), required=False)

    class Meta:
        model = Agent
        fields = AGENT_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        authority = self.instance.authority or {}
        if "credit_max_cents" in authority:
            self.initial["credit_max"] = (Decimal(authority["credit_max_cents"]) / 100).quantize(Decimal("0.01"))
        self.initial["may_replace_device"] = bool(authority.get("may_replace_device"))
        self.initial["may_cancel_contract"] = bool(authority.get("may_cancel_contract"))

    def clean(self) -> dict:
        data = super().clean()
        kept = {k: v for k, v in (self.instance.authority or {}).items() if k not in AUTHORITY_KEYS}
        self.instance.authority = kept | authority_from(
            data.get("credit_max"), data.get("may_replace_device", False), data.get("may_cancel_contract", False)
        )
        return data


class AgentAddForm(AgentForm):
    """A new agent with a login and a first brand; more brands on the agent's page afterwards."""

    # Also the mailbox of the direct address <username>+token@domain, hence a slug.
    username = forms.SlugField(label=_("username"), max_length=60)
    email = forms.EmailField(label=_("e-mail"), required=False, help_text=_("default: username@brand mail domain"))
    password = forms.CharField(label=_("password"), widget=forms.PasswordInput, strip=False)
    brand = forms.ModelChoiceField(label=_("brand"), queryset=Brand.objects.all())
    role = forms.ChoiceField(label=_("role"), choices=Membership.Role.choices, initial=Membership.Role.AGENT)

    class Meta(AgentForm.Meta):
        fields = AGENT_FIELDS

    field_order = ["username", "password", "email", "brand", "role", *AGENT_FIELDS]

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        if Agent.objects.filter(mailbox=username).exists():
            raise forms.ValidationError(_("This username is taken."))
        return username

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password


TOPICS = [
    ("credit", _("credits and refunds")),
    ("replace_device", _("device replacements")),
    ("cancel_contract", _("cancellations")),
]


class TeamForm(forms.ModelForm):
    topics = forms.MultipleChoiceField(
        label=_("topics"),
        choices=TOPICS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("New cases asking for this go to the team's members."),
    )

    class Meta:
        model = Team
        fields = ["brand", "name", "members", "lead", "topics"]

    def clean(self) -> dict:
        data = super().clean()
        brand, members, lead = data.get("brand"), list(data.get("members") or []), data.get("lead")
        if lead is not None and lead not in members:
            members.append(lead)  # the lead is one of the team
            data["members"] = members
        if brand is not None:
            inside = set(brand.memberships.filter(agent__in=members).values_list("agent_id", flat=True))
            outside = sorted(a.name for a in members if a.pk not in inside)
            if outside:
                raise forms.ValidationError(
                    _("Not agents of %(brand)s: %(names)s") % {"brand": brand.name, "names": ", ".join(outside)}
                )
        return data
