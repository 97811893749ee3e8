"""Contacts (end customers) and their many identities across channels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentityKind(models.TextChoices):
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("phone")
    X_HANDLE = "x_handle", _("X handle")
    FACEBOOK_PSID = "facebook_psid", _("Facebook")
    TELEGRAM_ID = "telegram_id", _("Telegram")
    WHATSAPP = "whatsapp", _("WhatsApp")
    APP_USER_ID = "app_user_id", _("app user")


class Contact(models.Model):
    brand = models.ForeignKey("core.Brand", on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(_("name"), max_length=160, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["brand", "name"], name="contact_brand_name_idx")]

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"


class Identity(models.Model):
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="identities")
    # Denormalised from the contact so uniqueness per brand is a database constraint.
    brand = models.ForeignKey("core.Brand", on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=20, choices=IdentityKind.choices)
    value = models.CharField(_("value"), max_length=254)
    verified = models.BooleanField(_("verified"), default=False)
    # Set when mail to this address bounced; outbound then prefers another identity.
    undeliverable = models.BooleanField(_("undeliverable"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("identity")
        verbose_name_plural = _("identities")
        constraints = [
            models.UniqueConstraint(fields=["brand", "kind", "value"], name="identity_brand_kind_value_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.value}"
