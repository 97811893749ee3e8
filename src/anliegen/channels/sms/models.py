"""A brand's SMS numbers at a Twilio-compatible provider, with the account that signs and sends for them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SmsNumber(models.Model):
    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="sms_numbers")
    number = models.CharField(_("number"), max_length=32, unique=True, help_text=_("E.164, e.g. +4940555020"))
    account_sid = models.CharField(_("account SID"), max_length=64)
    # Twilio signs every webhook with the account's auth token (X-Twilio-Signature) and takes it for Basic auth.
    auth_token = models.CharField(_("auth token"), max_length=128)

    class Meta:
        verbose_name = _("SMS number")
        verbose_name_plural = _("SMS numbers")

    def __str__(self) -> str:
        return self.number
