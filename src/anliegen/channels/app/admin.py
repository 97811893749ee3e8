"""Admin: app API keys (prefix only; the key itself is shown once, when made) and report groups."""

from django.contrib import admin

from .models import AppKey, ReportGroup


@admin.register(AppKey)
class AppKeyAdmin(admin.ModelAdmin):
    list_display = ("name", "brand", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
    # Keys are made with `anliegen appkey create` (the only time the key is shown); here they are revoked.
    fields = ("brand", "name", "prefix", "created_at", "last_used_at", "revoked_at")

    def has_add_permission(self, request: object) -> bool:
        return False


@admin.register(ReportGroup)
class ReportGroupAdmin(admin.ModelAdmin):
    list_display = ("app_version", "signature", "count", "brand", "first_seen_at", "last_seen_at")
    list_filter = ("brand", "app_version")
    ordering = ("-count",)
