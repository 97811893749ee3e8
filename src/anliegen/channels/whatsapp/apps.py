"""App config of the WhatsApp channel (business numbers and message templates are its own tables)."""

from django.apps import AppConfig


class WhatsAppConfig(AppConfig):
    name = "anliegen.channels.whatsapp"
    label = "whatsapp"
    verbose_name = "WhatsApp"
    default_auto_field = "django.db.models.BigAutoField"
