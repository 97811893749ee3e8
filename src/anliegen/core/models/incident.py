"""Incidents: known problems affecting many customers, published before they are asked about."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Incident(models.Model):
    class State(models.TextChoices):
        ACTIVE = "active", _("active")
        RESOLVED = "resolved", _("resolved")

    brand = models.ForeignKey("core.Brand", on_delete=models.PROTECT, related_name="incidents")
    # title/description are the German public text; the *_en fields the English one (each falls back to the other).
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    title_en = models.CharField(_("title (English)"), max_length=200, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    product = models.CharField(_("product"), max_length=120, blank=True)
    # Postcode prefixes or region names the incident affects; empty means everywhere.
    regions = models.JSONField(_("regions"), default=list, blank=True)
    # Words that tie an incoming message to this incident ("Fernseher schwarz", "no signal").
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ACTIVE)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    public = models.BooleanField(_("public"), default=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, null=True)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        indexes = [models.Index(fields=["brand", "state"], name="incident_brand_state_idx")]

    def __str__(self) -> str:
        return self.title

    def public_title(self, language: str) -> str:
        return (self.title_en or self.title) if language.startswith("en") else (self.title or self.title_en)

    def public_text(self, language: str) -> str:
        if language.startswith("en"):
            return self.description_en or self.description
        return self.description or self.description_en
