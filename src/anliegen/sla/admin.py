"""Admins set each brand's service-level targets; running clocks follow a change at once."""

from django.contrib import admin

from . import clocks
from .models import Target


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ("brand", "channel", "confirm_minutes", "answer_minutes", "resolve_minutes", "risk_percent")
    list_filter = ("brand",)

    def save_model(self, request, obj, form, change) -> None:  # noqa: ANN001 - Django's signature
        super().save_model(request, obj, form, change)
        clocks.replan(obj.brand)

    def delete_model(self, request, obj) -> None:  # noqa: ANN001
        super().delete_model(request, obj)
        clocks.replan(obj.brand)
