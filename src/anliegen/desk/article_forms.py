"""Forms of the desk's knowledge-base pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

LANGUAGES = [("de", _("German")), ("en", _("English"))]


class ArticleForm(forms.Form):
    brand = forms.TypedChoiceField(label=_("Brand"), coerce=int)
    language = forms.ChoiceField(label=_("Language"), choices=LANGUAGES)
    category = forms.TypedChoiceField(label=_("Category"), coerce=int, required=False, empty_value=None)
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text (HTML: p, h2, h3, ul, ol, li, a, strong, em)"), widget=forms.Textarea(attrs={"rows": 14})
    )
    review = forms.BooleanField(label=_("Send to review now"), required=False, initial=True)

    def __init__(self, brands: list[tuple[int, str]], categories: list[tuple[int, str]], *args: object, **kw: object):
        super().__init__(*args, **kw)
        self.fields["brand"].choices = brands
        self.fields["category"].choices = [("", "—"), *categories]


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Publish")), ("reject", _("Send back"))])
    note = forms.CharField(label=_("Note to the author"), required=False, max_length=2000)
