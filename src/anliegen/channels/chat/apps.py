"""App config of the chat channel (its conversations and per-brand setup are its own tables)."""

from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "anliegen.channels.chat"
    label = "chat"
    default_auto_field = "django.db.models.BigAutoField"
