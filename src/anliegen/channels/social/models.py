"""A brand's account on a social platform: what a webhook is checked against and what a reply is sent with."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Provider(models.TextChoices):
    X = "x", "X"
    FACEBOOK = "facebook", _("Facebook page")
    INSTAGRAM = "instagram", "Instagram"


class Account(models.Model):
    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="social_accounts")
    provider = models.CharField(_("provider"), max_length=16, choices=Provider.choices)
    # X: the account's user id (for_user_id); Facebook: the page id; Instagram: the professional account id.
    account_id = models.CharField(_("account id"), max_length=64)
    handle = models.CharField(_("handle or page name"), max_length=120, blank=True)
    # X: the app's consumer secret (CRC and x-twitter-webhooks-signature); Meta: the app secret (X-Hub-Signature-256).
    app_secret = models.CharField(_("app secret"), max_length=200, blank=True)
    # X: an OAuth 2.0 user access token of the account; Meta: the page access token.
    access_token = models.TextField(_("access token"), blank=True)
    # Meta: the verify token typed into the app's webhook settings (hub.verify_token).
    verify_token = models.CharField(_("verify token"), max_length=200, blank=True)
    # Incident updates and tips are posted here as well as on the status page.
    posts_updates = models.BooleanField(_("posts incident updates and tips"), default=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("social account")
        verbose_name_plural = _("social accounts")
        constraints = [
            models.UniqueConstraint(fields=["provider", "account_id"], name="social_account_provider_id_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.get_provider_display()} {self.handle or self.account_id}"
