from django.contrib import admin

from .models import Account


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ("brand", "provider", "handle", "account_id", "active", "posts_updates")
    list_filter = ("provider", "active")
    search_fields = ("handle", "account_id")
