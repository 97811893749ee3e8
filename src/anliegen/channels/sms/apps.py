"""App config of the SMS channel (a brand's numbers at the provider are its own table)."""

from django.apps import AppConfig


class SmsConfig(AppConfig):
    name = "anliegen.channels.sms"
    label = "sms"
    verbose_name = "SMS"
    default_auto_field = "django.db.models.BigAutoField"
