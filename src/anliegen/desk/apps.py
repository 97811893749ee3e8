"""Django app configuration of the agent desk."""

from django.apps import AppConfig


class DeskConfig(AppConfig):
    name = "anliegen.desk"
    label = "desk"
    verbose_name = "Desk"
