"""Django app configuration of the promise ledger."""

from django.apps import AppConfig


class PromisesConfig(AppConfig):
    name = "anliegen.promises"
    label = "promises"
    verbose_name = "Promises"
