"""What the provider says about the messaging channels: receipts on outgoing messages, the last credentials check."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Receipt(models.Model):
    """A provider's status for one outgoing message (WhatsApp's statuses, Twilio's status callback)."""

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("accepted by the provider")
        SENT = "sent", _("sent")
        DELIVERED = "delivered", _("delivered")
        READ = "read", _("read")
        FAILED = "failed", _("not delivered")

    message = models.ForeignKey("core.Message", on_delete=models.CASCADE, related_name="receipts")
    status = models.CharField(max_length=16, choices=Status.choices)
    at = models.DateTimeField()
    detail = models.CharField(max_length=500, blank=True)  # the provider's error title and code for a failure

    class Meta:
        verbose_name = _("delivery receipt")
        verbose_name_plural = _("delivery receipts")
        # A provider repeats a callback it is unsure we got: one row per message and status.
        constraints = [models.UniqueConstraint(fields=["message", "status"], name="receipt_once_per_status")]

    def __str__(self) -> str:
        return f"{self.message_id}: {self.status}"


class HealthCheck(models.Model):
    """The latest credentials check of a brand's account at a provider (its "me" endpoint)."""

    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="+")
    channel = models.CharField(max_length=16)
    ok = models.BooleanField(default=False)
    detail = models.CharField(max_length=500, blank=True)
    checked_at = models.DateTimeField()

    class Meta:
        verbose_name = _("credentials check")
        verbose_name_plural = _("credentials checks")
        constraints = [models.UniqueConstraint(fields=["brand", "channel"], name="healthcheck_once_per_channel")]

    def __str__(self) -> str:
        return f"{self.channel}: {'ok' if self.ok else 'refused'}"
