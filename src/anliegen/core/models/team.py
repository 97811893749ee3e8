"""Teams: a group of one brand's agents with a lead, taking the cases that ask for what it handles."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Team(models.Model):
    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="teams", verbose_name=_("brand"))
    name = models.CharField(_("name"), max_length=80)
    members = models.ManyToManyField("core.Agent", related_name="teams", blank=True, verbose_name=_("members"))
    lead = models.ForeignKey(
        "core.Agent",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
        verbose_name=_("team lead"),
    )
    # Intents (core/intents.py) whose new cases go to this team's members, e.g. ["cancel_contract"].
    topics = models.JSONField(_("topics"), default=list, blank=True)

    class Meta:
        ordering = ["brand", "name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [models.UniqueConstraint(fields=["brand", "name"], name="team_brand_name_uniq")]

    def __str__(self) -> str:
        return self.name
