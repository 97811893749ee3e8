"""Retention periods are set per brand in the admin."""

from django.contrib import admin

from .models import RetentionPolicy


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(admin.ModelAdmin):
    list_display = ("brand", "raw_payload_days", "closed_case_days")
