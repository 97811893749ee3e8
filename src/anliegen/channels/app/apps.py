"""App config of the in-app report channel (API keys and report groups are its own tables)."""

from django.apps import AppConfig


class AppReportsConfig(AppConfig):
    name = "anliegen.channels.app"
    label = "appreports"
    default_auto_field = "django.db.models.BigAutoField"
