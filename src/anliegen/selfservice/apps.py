"""Django app configuration of self-service."""

from django.apps import AppConfig


class SelfServiceConfig(AppConfig):
    name = "anliegen.selfservice"
    label = "selfservice"
    verbose_name = "Self-service"
    default_auto_field = "django.db.models.BigAutoField"
