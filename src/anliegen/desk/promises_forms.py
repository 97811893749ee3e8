"""Forms of the desk panels for promises, escalations, identities and case merges (input parsing only)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from anliegen.core.services.authority import AUTHORITY_KEYS
from anliegen.promises.models import Promise

LOCAL_INPUT = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"]


class PromiseForm(forms.Form):
    kind = forms.ChoiceField(label=_("Promise"), choices=Promise.Kind.choices)
    amount = forms.DecimalField(
        label=_("Amount (EUR)"), required=False, max_digits=9, decimal_places=2, min_value=Decimal("0.01")
    )
    due_at = forms.DateTimeField(
        label=_("Due"), input_formats=LOCAL_INPUT, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    window_end = forms.DateTimeField(
        label=_("Window ends (callbacks)"),
        required=False,
        input_formats=LOCAL_INPUT,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    text = forms.CharField(label=_("What exactly"), required=False, max_length=300)

    def amount_cents(self) -> int | None:
        amount = self.cleaned_data.get("amount")
        return int(amount * 100) if amount is not None else None


class ReasonForm(forms.Form):
    text = forms.CharField(label=_("Evidence or reason"), required=False, max_length=300)


class EscalateForm(forms.Form):
    NEEDS = [
        ("credit_max_cents", _("a credit (amount below)")),
        ("may_replace_device", _("a device replacement")),
        ("may_cancel_contract", _("a contract cancellation")),
    ]
    need = forms.ChoiceField(label=_("The decision needs"), choices=NEEDS)
    amount = forms.DecimalField(
        label=_("Amount (EUR)"), required=False, max_digits=9, decimal_places=2, min_value=Decimal("0.01")
    )
    note = forms.CharField(label=_("What is to be decided, and why"), widget=forms.Textarea(attrs={"rows": 3}))

    def clean(self) -> dict:
        data = super().clean()
        if data.get("need") == "credit_max_cents" and data.get("amount") is None:
            raise forms.ValidationError(_("give the amount of the credit"))
        return data

    def needs(self) -> dict:
        key = self.cleaned_data["need"]
        assert key in AUTHORITY_KEYS  # noqa: S101 - the choices are the keys
        return {key: int(self.cleaned_data["amount"] * 100)} if key == "credit_max_cents" else {key: True}


class ResolveForm(forms.Form):
    resolution = forms.CharField(label=_("Decision"), widget=forms.Textarea(attrs={"rows": 2}))


class CodeForm(forms.Form):
    code = forms.CharField(label=_("Code the customer read out"), max_length=12)


class MergeCaseForm(forms.Form):
    other = forms.IntegerField(label=_("Merge this case into case number"), min_value=1)


class SplitCaseForm(forms.Form):
    messages = forms.TypedMultipleChoiceField(label=_("Messages for a new case"), coerce=int, choices=[])
    subject = forms.CharField(label=_("Subject of the new case"), required=False, max_length=250)

    def __init__(self, *args: object, message_choices: list[tuple[int, str]] | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["messages"].choices = message_choices or []
