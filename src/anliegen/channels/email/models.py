"""Mail state the channel keeps itself: the captured outbox, IMAP mailboxes to poll, per-sender counters."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class Mailbox(models.Model):
    """An IMAP mailbox `anliegen fetchmail` collects a brand's mail from."""

    class After(models.TextChoices):
        SEEN = "seen", _("mark as read")
        MOVE = "move", _("move to a folder")

    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="mailboxes")
    host = models.CharField(_("IMAP host"), max_length=190)
    port = models.PositiveIntegerField(_("port"), default=993)
    ssl = models.BooleanField(_("TLS"), default=True)
    username = models.CharField(_("user"), max_length=190)
    password = models.CharField(_("password"), max_length=190)
    folder = models.CharField(_("folder"), max_length=190, default="INBOX")
    after = models.CharField(_("after storing"), max_length=8, choices=After.choices, default=After.SEEN)
    move_to = models.CharField(_("move to folder"), max_length=190, blank=True)
    active = models.BooleanField(_("active"), default=True)
    # Where the last run stopped: UIDs are only comparable within one UIDVALIDITY.
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_error = models.TextField(blank=True)
    last_checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("IMAP mailbox")
        verbose_name_plural = _("IMAP mailboxes")

    def __str__(self) -> str:
        return f"{self.username}@{self.host}/{self.folder}"
