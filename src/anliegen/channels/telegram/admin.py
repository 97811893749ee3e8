"""A brand's Telegram bots are set up in the admin (the token is never listed)."""

from django.contrib import admin

from .models import Bot


@admin.register(Bot)
class BotAdmin(admin.ModelAdmin):
    list_display = ("username", "brand")
    list_filter = ("brand",)
