"""A brand's WhatsApp numbers and templates are set up in the admin (secrets are never listed)."""

from django.contrib import admin

from .models import BusinessNumber, Template


@admin.register(BusinessNumber)
class BusinessNumberAdmin(admin.ModelAdmin):
    list_display = ("display_number", "phone_number_id", "brand")
    list_filter = ("brand",)


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    list_display = ("name", "language", "brand", "approved")
    list_filter = ("brand", "approved", "language")
