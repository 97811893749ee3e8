"""Escalations: a decision beyond the owner's authority, handed to someone who may take it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Escalation(models.Model):
    class State(models.TextChoices):
        OPEN = "open", _("open")
        RESOLVED = "resolved", _("resolved")

    case = models.ForeignKey("core.Case", on_delete=models.CASCADE, related_name="escalations")
    brand = models.ForeignKey("core.Brand", on_delete=models.PROTECT, related_name="+")
    from_agent = models.ForeignKey("core.Agent", on_delete=models.PROTECT, related_name="escalations_sent")
    to_agent = models.ForeignKey("core.Agent", on_delete=models.PROTECT, related_name="escalations_received")
    # What the decision needs, in the terms of Agent.authority, e.g. {"credit_max_cents": 8000}.
    need = models.JSONField(_("need"), default=dict)
    note = models.TextField(_("note"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    resolution = models.TextField(_("resolution"), blank=True)
    resolved_by = models.ForeignKey("core.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("escalation")
        verbose_name_plural = _("escalations")
        indexes = [models.Index(fields=["brand", "state"], name="escalation_brand_state_idx")]

    def __str__(self) -> str:
        return f"escalation on case {self.case_id} ({self.state})"
