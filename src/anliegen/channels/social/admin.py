from django.contrib import admin

from .models import Account, PublicPost


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("brand", "provider", "handle", "account_id", "active", "posts_updates")
    list_filter = ("provider", "active")
    search_fields = ("handle", "account_id")


@admin.register(PublicPost)
class PublicPostAdmin(admin.ModelAdmin):
    list_display = ("account", "kind", "state", "external_id", "created_at", "posted_at")
    list_filter = ("kind", "state")
    readonly_fields = ("external_id", "error", "attempts", "posted_at")
