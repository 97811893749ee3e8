"""App config of the Telegram channel (a brand's bots are its own table)."""

from django.apps import AppConfig


class TelegramConfig(AppConfig):
    name = "anliegen.channels.telegram"
    label = "telegram"
    verbose_name = "Telegram"
    default_auto_field = "django.db.models.BigAutoField"
