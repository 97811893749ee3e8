from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CsatConfig(AppConfig):
    name = "anliegen.csat"
    label = "csat"
    verbose_name = _("customer satisfaction")
    default_auto_field = "django.db.models.BigAutoField"
