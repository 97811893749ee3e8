"""App config of the messaging channels' shared tables (adapter health checks, provider delivery receipts)."""

from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "anliegen.channels.messaging"
    label = "messaging"
    default_auto_field = "django.db.models.BigAutoField"
