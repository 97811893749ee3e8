"""App config of privacy (GDPR export and erasure, retention)."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "anliegen.privacy"
    label = "privacy"
    verbose_name = _("privacy")
    default_auto_field = "django.db.models.BigAutoField"
