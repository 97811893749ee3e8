"""Admin: integrations (a new token is shown once, on the page after saving) and webhook endpoints."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from anliegen.base import bearer_keys, ratelimit

from . import endpoints, targets, tokens
from .models import Integration, Scope, WebhookDelivery, WebhookEndpoint


class IntegrationForm(forms.ModelForm):
    scopes = forms.MultipleChoiceField(label=_("scopes"), choices=Scope.choices, widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = Integration
        fields = ("name", "brands", "scopes", "rate_limit", "revoked_at")

    def clean_rate_limit(self) -> str:
        value = self.cleaned_data["rate_limit"]
        try:
            ratelimit.parse_rate(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from exc
        return value


@admin.register(Integration)
class IntegrationAdmin(admin.ModelAdmin):
    form = IntegrationForm
    list_display = ("name", "prefix", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "created_at", "last_used_at")

    def save_model(self, request: HttpRequest, obj: Integration, form: forms.Form, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        # A new token: only its hash is stored, the token itself is shown on the next page and never again.
        obj.prefix, token, obj.token_hash = bearer_keys.new(tokens.TOKEN_START)
        super().save_model(request, obj, form, change)
        messages.warning(request, _("The token, shown this once: %(token)s") % {"token": token})


class WebhookEndpointForm(forms.ModelForm):
    class Meta:
        model = WebhookEndpoint
        fields = ("brand", "url", "secret", "events", "active")

    def clean_url(self) -> str:
        value = self.cleaned_data["url"]
        try:
            targets.check(value)
        except targets.TargetRefused as exc:
            raise forms.ValidationError(str(exc)) from exc
        return value


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(admin.ModelAdmin):
    form = WebhookEndpointForm
    list_display = ("url", "brand", "active", "created_at")
    list_filter = ("brand", "active")

    def get_changeform_initial_data(self, request: HttpRequest) -> dict:
        return {"secret": endpoints.new_secret()}


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin):
    list_display = ("event", "endpoint", "state", "attempts", "response_code", "created_at")
    list_filter = ("state", "event")
    readonly_fields = [f.name for f in WebhookDelivery._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False
