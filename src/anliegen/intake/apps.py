"""Django app configuration of the intake."""

from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "anliegen.intake"
    label = "intake"
    verbose_name = "Intake"
