"""Public updates of an incident, and the record that tells each linked case about each update exactly once."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IncidentUpdate(models.Model):
    class Kind(models.TextChoices):
        OPENED = "opened", _("opened")
        UPDATE = "update", _("update")
        RESOLVED = "resolved", _("resolved")

    incident = models.ForeignKey("core.Incident", on_delete=models.CASCADE, related_name="updates")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.UPDATE)
    text = models.TextField(_("text (German)"))
    text_en = models.TextField(_("text (English)"), blank=True)
    author = models.ForeignKey("core.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # Fan-out progress: the last case id told, when a chunk last ran (a stalled one is resumed), when it ended.
    fanout_cursor = models.BigIntegerField(default=0)
    fanout_seen_at = models.DateTimeField(null=True, blank=True)
    fanout_done_at = models.DateTimeField(null=True, blank=True)
    # A resumed fan-out starts a new chain of chunk tasks; a task of an older chain (a slow one) stops at once.
    fanout_chain = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("incident update")
        verbose_name_plural = _("incident updates")
        indexes = [models.Index(fields=["fanout_done_at"], name="incupdate_fanout_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.incident_id} {self.created_at:%Y-%m-%d %H:%M}"

    def public_text(self, language: str) -> str:
        if language.startswith("en"):
            return self.text_en or self.text
        return self.text or self.text_en


class IncidentNotice(models.Model):
    """One update told to one case: the unique pair is what makes the fan-out exactly once."""

    update = models.ForeignKey(IncidentUpdate, on_delete=models.CASCADE, related_name="notices")
    case = models.ForeignKey("core.Case", on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey("core.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["update", "case"], name="incidentnotice_update_case_uniq")]

    def __str__(self) -> str:
        return f"update {self.update_id} -> case {self.case_id}"


class IncidentProposal(models.Model):
    """A burst that looks like an incident, for a supervisor to accept (it becomes one) or dismiss."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        ACCEPTED = "accepted", _("accepted")
        DISMISSED = "dismissed", _("dismissed")

    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)  # what burst: "area:224" or "word:signal"
    area = models.CharField(_("area"), max_length=20, blank=True)
    words = models.JSONField(_("words"), default=list, blank=True)
    case_ids = models.JSONField(default=list, blank=True)
    observed = models.PositiveIntegerField(default=0)
    expected = models.FloatField(default=0)
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    incident = models.ForeignKey("core.Incident", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["brand", "state"], name="incproposal_brand_state_idx")]

    def __str__(self) -> str:
        return f"{self.key}: {self.observed} vs {self.expected:.1f}"
