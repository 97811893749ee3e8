from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SocialConfig(AppConfig):
    name = "anliegen.channels.social"
    label = "social"
    verbose_name = _("Social channels")
    default_auto_field = "django.db.models.BigAutoField"
