"""The Inbound: the raw thing that arrived, stored before anything else happens and kept for audit."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class InboundState(models.TextChoices):
    RECEIVED = "received", _("received")
    DONE = "done", _("processed")
    DISCARDED = "discarded", _("automatic, not answered")
    QUARANTINED = "quarantined", _("quarantined")


class Inbound(models.Model):
    channel = models.CharField(max_length=16)
    # The provider's id (Message-ID, webhook event id, form submission id); processed once per channel.
    external_id = models.CharField(max_length=250)
    # For ids the sender chooses (a Message-ID): a digest of the content, so a different message that reuses
    # the id is stored too, while the same message delivered again is not. Empty where the provider's id is enough.
    digest = models.CharField(max_length=64, blank=True, default="", db_default="")
    brand = models.ForeignKey("core.Brand", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    raw = models.BinaryField()
    meta = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=12, choices=InboundState.choices, default=InboundState.RECEIVED)
    stage = models.CharField(max_length=40, blank=True)  # where processing stopped
    reason = models.TextField(blank=True)
    traceback = models.TextField(blank=True)
    # Outcome per stage, e.g. {"thread": "reply token", "route": "kept owner"}: the why of every decision.
    trace = models.JSONField(default=dict, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    case = models.ForeignKey("core.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["channel", "external_id", "digest"], name="inbound_channel_external_digest_uniq"
            )
        ]
        indexes = [models.Index(fields=["state", "id"], name="inbound_state_id_idx")]

    def __str__(self) -> str:
        return f"{self.channel}:{self.external_id}"

    def batch_keys(self) -> list[tuple]:
        """What a lookup in an intake batch may find this row by while it is not written (base/writes.py)."""
        return [("inbound", self.channel, self.external_id)]


class SenderCount(models.Model):
    """How many items one sender (channel, brand, address) sent in one time bucket: the loop limit reads it in one
    indexed query (detect_automatic)."""

    sender = models.CharField(max_length=254)
    bucket = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sender", "bucket"], name="sendercount_sender_bucket_uniq")]

    def __str__(self) -> str:
        return f"{self.sender} ({self.bucket}): {self.count}"
