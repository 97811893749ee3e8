"""Admins of a brand keep its macros, tags and shared views in the admin, cut to their own brands."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms import ModelForm
from django.utils.translation import gettext_lazy as _

from anliegen.core.admin import BrandScoped
from anliegen.promises.models import Promise

from .models import Macro, SavedView, Tag


class MacroForm(ModelForm):
    class Meta:
        model = Macro
        fields = ["brand", "language", "name", "body", "set_state", "note", "promise_kind", "promise_text"]
        fields += ["promise_hours", "active"]

    def clean_promise_kind(self) -> str:
        kind = self.cleaned_data["promise_kind"]
        if kind == Promise.Kind.CREDIT:
            # A credit needs an amount within the agent's authority: it is made on the case, never by a text block.
            raise ValidationError(_("A text block cannot promise a credit."))
        return kind


@admin.register(Macro)
class MacroAdmin(BrandScoped):
    form = MacroForm
    list_display = ["name", "brand", "language", "set_state", "promise_kind", "active"]
    list_filter = [("brand", admin.RelatedOnlyFieldListFilter), "language", "active"]
    search_fields = ["name", "body"]
    list_select_related = ["brand"]


@admin.register(Tag)
class TagAdmin(BrandScoped):
    list_display = ["name", "brand"]
    list_filter = [("brand", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["name"]
    list_select_related = ["brand"]


@admin.register(SavedView)
class SavedViewAdmin(BrandScoped):
    list_display = ["name", "brand", "owner"]
    list_filter = [("brand", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["brand", "owner"]
