"""Django app configuration of the phone channel."""

from django.apps import AppConfig


class PhoneChannelConfig(AppConfig):
    name = "anliegen.channels.phone"
    label = "channel_phone"
    verbose_name = "Phone"

    def ready(self) -> None:
        from . import signals

        signals.connect()
