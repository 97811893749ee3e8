"""A satisfaction question asked once per solved case, its answer, and the supervisor's follow-up on a poor one."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

LOW_SCORE = 2  # this or less: a supervisor follows up


class Survey(models.Model):
    case = models.OneToOneField("core.Case", on_delete=models.CASCADE, related_name="survey")
    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="+")
    # Who solved it (the owner then): the score counts for them even if the case moves on later.
    agent = models.ForeignKey("core.Agent", on_delete=models.SET_NULL, null=True, related_name="+")
    channel = models.CharField(_("asked on"), max_length=16)
    asked_at = models.DateTimeField()
    score = models.PositiveSmallIntegerField(_("score"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("satisfaction survey")
        verbose_name_plural = _("satisfaction surveys")
        indexes = [models.Index(fields=["brand", "asked_at"], name="survey_brand_asked_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=1, score__lte=5), name="survey_score_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"survey of case {self.case_id}: {self.score or '-'}"


class FollowUp(models.Model):
    """A poor rating for a supervisor to look into: open until someone marks what was done."""

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="follow_up")
    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="+")
    supervisor = models.ForeignKey("core.Agent", on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey("core.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    outcome = models.CharField(_("what was done"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("satisfaction follow-up")
        verbose_name_plural = _("satisfaction follow-ups")

    def __str__(self) -> str:
        return f"follow-up of case {self.survey.case_id}"
