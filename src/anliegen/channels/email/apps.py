"""Django app configuration of the e-mail channel."""

from django.apps import AppConfig


class EmailChannelConfig(AppConfig):
    name = "anliegen.channels.email"
    label = "channel_email"
    verbose_name = "E-mail"
