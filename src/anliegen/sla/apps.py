from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SlaConfig(AppConfig):
    name = "anliegen.sla"
    label = "sla"
    verbose_name = _("service levels")
    default_auto_field = "django.db.models.BigAutoField"
