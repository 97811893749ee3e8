"""Forms of the desk's incident pages: open, post an update, close, link a case."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from anliegen.selfservice.services.incidents import normalise_areas


class IncidentForm(forms.Form):
    brand = forms.TypedChoiceField(label=_("Brand"), coerce=int)
    title = forms.CharField(label=_("Title (German)"), max_length=200)
    title_en = forms.CharField(label=_("Title (English)"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Public text (German)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    description_en = forms.CharField(
        label=_("Public text (English)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
    product = forms.CharField(label=_("Product or service"), max_length=120, required=False)
    areas = forms.CharField(
        label=_("Affected area"),
        required=False,
        max_length=2000,
        help_text=_(
            "Postcodes or their beginnings (224, 22529) and region names, separated by commas. Empty: everywhere."
        ),
    )
    keywords = forms.CharField(
        label=_("Words customers use"),
        required=False,
        max_length=2000,
        help_text=_("Separated by commas, e.g. kein Signal, no signal."),
    )
    starts_at = forms.DateTimeField(
        label=_("Start"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    ends_at = forms.DateTimeField(
        label=_("Expected end"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )

    def __init__(self, brands: list[tuple[int, str]], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = brands

    def clean_areas(self) -> list[str]:
        return normalise_areas(self.cleaned_data["areas"])

    def clean_keywords(self) -> list[str]:
        return [k.strip() for k in self.cleaned_data["keywords"].split(",") if k.strip()]

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("starts_at"), data.get("ends_at")
        if start and end and end <= start:
            self.add_error("ends_at", _("The expected end must come after the start."))
        return data


class UpdateForm(forms.Form):
    text = forms.CharField(label=_("Update (German)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    text_en = forms.CharField(
        label=_("Update (English)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000, required=False
    )
    ends_at = forms.DateTimeField(
        label=_("Expected end"), required=False, widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    close = forms.BooleanField(label=_("The problem is fixed: close the incident"), required=False)


class LinkForm(forms.Form):
    incident = forms.TypedChoiceField(label=_("Incident"), coerce=int)

    def __init__(self, incidents: list[tuple[int, str]], *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["incident"].choices = incidents
