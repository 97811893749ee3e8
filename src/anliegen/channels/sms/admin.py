"""A brand's SMS numbers are set up in the admin (the auth token is never listed)."""

from django.contrib import admin

from .models import SmsNumber


@admin.register(SmsNumber)
class SmsNumberAdmin(admin.ModelAdmin):
    list_display = ("number", "brand", "account_sid")
    list_filter = ("brand",)
