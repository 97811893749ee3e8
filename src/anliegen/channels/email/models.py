"""Mail kept by the product itself: the captured outbox of an installation without an SMTP relay."""

from django.db import models


class CapturedMail(models.Model):
    """An outgoing mail that was not sent anywhere because no SMTP relay is configured."""

    sender = models.CharField(max_length=254)
    recipients = models.TextField()
    subject = models.CharField(max_length=500)
    message_id = models.CharField(max_length=250, blank=True)
    raw = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipients}"
