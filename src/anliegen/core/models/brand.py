"""A Brand: one client company served by the team; everything customer-facing belongs to one."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def default_languages() -> list[str]:
    return ["de", "en"]


def default_service_hours() -> dict:
    return {"days": [0, 1, 2, 3, 4], "start": "08:00", "end": "18:00"}


class Brand(models.Model):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=120)
    # Mail for *@mail_domain is accepted; owners reply from owner+token@mail_domain.
    mail_domain = models.CharField(_("mail domain"), max_length=190, unique=True)
    support_address = models.EmailField(_("support address"))
    hotline = models.CharField(_("hotline"), max_length=40, blank=True)
    default_language = models.CharField(_("default language"), max_length=8, default="de")
    # The languages the team answers this brand's customers in; a message in another is answered in the default.
    languages = models.JSONField(_("languages"), default=default_languages, blank=True)
    # Whose numbering plan reads a phone number given without a country code (ISO 3166, e.g. DE, AT, GB).
    default_region = models.CharField(_("default region"), max_length=2, default="DE")
    # The honest answer time promised in every confirmation, in working hours.
    answer_within_hours = models.PositiveIntegerField(_("answer within (hours)"), default=24)
    # When the team answers, in the brand's time zone; answer times count only these hours.
    # {"days": [0..6 with Monday 0], "start": "08:00", "end": "18:00"}; empty means around the clock.
    service_hours = models.JSONField(_("service hours"), default=default_service_hours, blank=True)
    # Never nobody: when no agent is available a new case goes to this person.
    default_owner = models.ForeignKey(
        "core.Agent", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("default owner")
    )
    # Every agent of this brand signs in with a second factor (an authenticator app's code) besides the password.
    require_two_factor = models.BooleanField(_("require two-factor sign-in"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("brand")
        verbose_name_plural = _("brands")

    def __str__(self) -> str:
        return self.name

    def answer_language(self, language: str) -> str:
        """The language to answer in: the customer's when the brand speaks it, else the brand's default."""
        if not language or (self.languages and language not in self.languages):
            return self.default_language
        return language
