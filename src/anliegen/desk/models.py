"""What the desk keeps for an agent between pages: the unsent text of a case's composers."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anliegen.core.models import Agent, Case


class Draft(models.Model):
    """An agent's unsent reply or note on one case; saved while typing, gone when sent (or emptied)."""

    class Kind(models.TextChoices):
        REPLY = "reply", _("reply")
        NOTE = "note", _("internal note")

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="drafts")
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="drafts")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    text = models.TextField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agent", "case", "kind"], name="one_draft_per_composer")]

    def __str__(self) -> str:
        return f"{self.kind} draft of {self.agent_id} on case {self.case_id}"
