"""App config of the audit log."""

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "anliegen.audit"
    label = "audit"
    verbose_name = _("audit log")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .triggers import repair_after_migrate

        post_migrate.connect(repair_after_migrate, sender=self, dispatch_uid="audit-repair-after-migrate")
