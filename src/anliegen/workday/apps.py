from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdayConfig(AppConfig):
    name = "anliegen.workday"
    label = "workday"
    verbose_name = _("working day")
    default_auto_field = "django.db.models.BigAutoField"
