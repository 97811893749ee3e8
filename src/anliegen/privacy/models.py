"""How long a brand keeps what arrived raw, and its closed cases."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RetentionPolicy(models.Model):
    brand = models.OneToOneField("core.Brand", on_delete=models.CASCADE, related_name="retention")
    # Empty: kept for good. The raw payload (a mail's source, a webhook body) is the evidence of what arrived;
    # after this many days only what intake made of it remains.
    raw_payload_days = models.PositiveIntegerField(_("delete raw payloads after (days)"), null=True, blank=True)
    closed_case_days = models.PositiveIntegerField(_("delete closed cases after (days)"), null=True, blank=True)

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")

    def __str__(self) -> str:
        return f"{self.brand}: raw {self.raw_payload_days or '-'} d, closed cases {self.closed_case_days or '-'} d"
