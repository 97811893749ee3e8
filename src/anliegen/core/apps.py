"""Django app configuration of the domain core."""

from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "anliegen.core"
    label = "core"
    verbose_name = "Anliegen"
