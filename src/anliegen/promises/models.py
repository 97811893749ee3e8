"""A Promise: a commitment to the customer with a due time, tracked until kept, broken or cancelled."""

from datetime import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _


class Promise(models.Model):
    class Kind(models.TextChoices):
        CREDIT = "credit", _("credit")
        CALLBACK = "callback", _("callback")
        REPLACEMENT = "replacement", _("replacement")
        REPLY_BY = "reply_by", _("answer by")
        CUSTOM = "custom", _("other")

    class State(models.TextChoices):
        OPEN = "open", _("open")
        KEPT = "kept", _("kept")
        BROKEN = "broken", _("broken")
        CANCELLED = "cancelled", _("cancelled")

    case = models.ForeignKey("core.Case", on_delete=models.CASCADE, related_name="promises")
    brand = models.ForeignKey("core.Brand", on_delete=models.PROTECT, related_name="+")
    owner = models.ForeignKey("core.Agent", on_delete=models.PROTECT, related_name="promises")
    # Who gave the promise: their authority was checked; the owner is who keeps it.
    created_by = models.ForeignKey("core.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    amount_cents = models.PositiveIntegerField(_("amount (cents)"), null=True, blank=True)
    currency = models.CharField(max_length=3, default="EUR")
    text = models.CharField(_("what was promised"), max_length=300, blank=True)
    due_at = models.DateTimeField(_("due"))
    window_end = models.DateTimeField(null=True, blank=True)  # callbacks: the end of the promised window
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    evidence = models.CharField(_("evidence"), max_length=300, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    alarmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("promise")
        verbose_name_plural = _("promises")
        ordering = ["due_at"]
        indexes = [models.Index(fields=["state", "due_at"], name="promise_state_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="credit") | models.Q(amount_cents__gt=0),
                name="promise_credit_has_amount",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.get_state_display()})"

    @property
    def deadline(self) -> datetime:
        # A callback is kept on time when it happens within its window, not only at its start.
        return self.window_end or self.due_at

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN
