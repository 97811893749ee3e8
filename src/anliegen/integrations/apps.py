"""App config of integrations (API tokens, webhook endpoints and their delivery log)."""

from django.apps import AppConfig


class IntegrationsConfig(AppConfig):
    name = "anliegen.integrations"
    label = "integrations"
    default_auto_field = "django.db.models.BigAutoField"
