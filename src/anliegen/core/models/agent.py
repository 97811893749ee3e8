"""Agents: the people of the team, with their direct lines, languages, skills and authority."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Presence(models.TextChoices):
    ONLINE = "online", _("online")
    AWAY = "away", _("away")
    OFFLINE = "offline", _("offline")


class Agent(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="agent")
    name = models.CharField(_("name"), max_length=120)
    # Local part of the personal reply address: <mailbox>+<case token>@<brand mail domain>.
    mailbox = models.SlugField(_("mailbox"), max_length=60, unique=True)
    extension = models.CharField(_("direct extension"), max_length=20, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    skills = models.JSONField(_("skills"), default=list, blank=True)
    # What this person may decide alone, e.g. {"credit_max_cents": 5000, "may_replace_device": true}.
    authority = models.JSONField(_("authority"), default=dict, blank=True)
    capacity = models.PositiveIntegerField(_("capacity (open cases)"), default=40)
    presence = models.CharField(_("presence"), max_length=10, choices=Presence.choices, default=Presence.OFFLINE)
    # Away for days (vacation, illness): the deputy answers for this person and customers are told.
    on_leave = models.BooleanField(_("on leave"), default=False)
    deputy = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="deputy_for", verbose_name=_("deputy")
    )
    brands = models.ManyToManyField("core.Brand", through="core.Membership", related_name="agents")

    class Meta:
        ordering = ["name"]
        verbose_name = _("agent")
        verbose_name_plural = _("agents")

    def __str__(self) -> str:
        return self.name

    def reply_address(self, brand: "models.Model", token: str = "") -> str:
        local = f"{self.mailbox}+{token}" if token else self.mailbox
        return f"{local}@{brand.mail_domain}"


class Membership(models.Model):
    class Role(models.TextChoices):
        AGENT = "agent", _("agent")
        SUPERVISOR = "supervisor", _("supervisor")
        ADMIN = "admin", _("admin")

    agent = models.ForeignKey(Agent, on_delete=models.CASCADE, related_name="memberships")
    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=12, choices=Role.choices, default=Role.AGENT)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agent", "brand"], name="membership_agent_brand_uniq")]

    def __str__(self) -> str:
        return f"{self.agent} @ {self.brand} ({self.role})"
