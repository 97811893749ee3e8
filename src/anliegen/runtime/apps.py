"""Django app configuration of the runtime (its management commands: serve, web, worker, demo)."""

from django.apps import AppConfig


class RuntimeConfig(AppConfig):
    name = "anliegen.runtime"
    label = "runtime"
    verbose_name = "Anliegen runtime"
