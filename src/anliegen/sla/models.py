"""Service-level targets per brand and channel, each case's clock against them, and the alarms raised once."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from anliegen.core.models import Channel


class Stage(models.TextChoices):
    CONFIRM = "confirm", _("confirmation")
    ANSWER = "answer", _("first human answer")
    RESOLVE = "resolve", _("resolution")


STAGES = (Stage.CONFIRM, Stage.ANSWER, Stage.RESOLVE)


class Target(models.Model):
    """How long each stage may take, in service minutes (the brand's service hours, without public holidays)."""

    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="sla_targets")
    # Empty: every channel of the brand that has no target of its own.
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True)
    confirm_minutes = models.PositiveIntegerField(_("confirmation within (minutes)"), null=True, blank=True)
    answer_minutes = models.PositiveIntegerField(_("first human answer within (minutes)"), null=True, blank=True)
    resolve_minutes = models.PositiveIntegerField(_("resolution within (minutes)"), null=True, blank=True)
    # A stage is at risk once this share of its time is spent.
    risk_percent = models.PositiveSmallIntegerField(_("at risk after (% of the time)"), default=80)

    class Meta:
        verbose_name = _("service-level target")
        verbose_name_plural = _("service-level targets")
        constraints = [models.UniqueConstraint(fields=["brand", "channel"], name="sla_target_brand_channel_uniq")]

    def __str__(self) -> str:
        return f"{self.brand} {self.channel or '*'}"

    def minutes(self, stage: str) -> int | None:
        return getattr(self, f"{stage}_minutes")


class Clock(models.Model):
    """One case's service-level clock: when each stage is due, at risk, and when it happened.

    Kept beside the case (brand, channel, owner, opening time copied) so reports aggregate one narrow table.
    """

    case = models.OneToOneField("core.Case", on_delete=models.CASCADE, primary_key=True, related_name="sla")
    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="+")
    owner = models.ForeignKey("core.Agent", on_delete=models.SET_NULL, null=True, related_name="+")
    channel = models.CharField(max_length=16)  # the channel the case came on
    opened_at = models.DateTimeField()
    confirm_due = models.DateTimeField(null=True)
    confirm_risk = models.DateTimeField(null=True)
    answer_due = models.DateTimeField(null=True)
    answer_risk = models.DateTimeField(null=True)
    resolve_due = models.DateTimeField(null=True)
    resolve_risk = models.DateTimeField(null=True)
    confirmed_at = models.DateTimeField(null=True)
    answered_at = models.DateTimeField(null=True)
    resolved_at = models.DateTimeField(null=True)
    # Wall-clock seconds to each stage, for reports (NULL until it happened).
    confirm_seconds = models.PositiveIntegerField(null=True)
    answer_seconds = models.PositiveIntegerField(null=True)
    resolve_seconds = models.PositiveIntegerField(null=True)
    human_answers = models.PositiveIntegerField(default=0)
    running = models.BooleanField(default=True)  # some stage still open: the sweep looks at it

    class Meta:
        indexes = [
            models.Index(fields=["brand", "opened_at"], name="sla_clock_brand_opened_idx"),
            models.Index(fields=["running"], name="sla_clock_running_idx", condition=models.Q(running=True)),
        ]

    def __str__(self) -> str:
        return f"SLA clock of case {self.case_id}"

    def due(self, stage: str):  # noqa: ANN201 - datetime | None
        return getattr(self, f"{stage}_due")

    def risk(self, stage: str):  # noqa: ANN201
        return getattr(self, f"{stage}_risk")

    def done_at(self, stage: str):  # noqa: ANN201
        return getattr(self, {"confirm": "confirmed_at", "answer": "answered_at", "resolve": "resolved_at"}[stage])


class Alarm(models.Model):
    """An at-risk or breach alarm, raised once per case, stage and level: the row is the claim."""

    class Level(models.TextChoices):
        RISK = "risk", _("at risk")
        BREACH = "breach", _("breached")

    case = models.ForeignKey("core.Case", on_delete=models.CASCADE, related_name="sla_alarms")
    stage = models.CharField(max_length=10, choices=Stage.choices)
    level = models.CharField(max_length=10, choices=Level.choices)
    at = models.DateTimeField()
    told = models.JSONField(default=list)  # the agents alarmed: the owner and the brand's supervisors

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["case", "stage", "level"], name="sla_alarm_once_uniq"),
        ]

    def __str__(self) -> str:
        return f"{self.stage} {self.level} on case {self.case_id}"
