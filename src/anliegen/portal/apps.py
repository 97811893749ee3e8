"""Django app configuration of the customer pages."""

from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "anliegen.portal"
    label = "portal"
    verbose_name = "Customer pages"
