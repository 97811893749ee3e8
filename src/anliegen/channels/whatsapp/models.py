"""A brand's WhatsApp business numbers (Cloud API credentials) and its approved message templates."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class BusinessNumber(models.Model):
    """One number at Meta: its phone number id (the API's name for it) and the app's secrets."""

    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="whatsapp_numbers")
    phone_number_id = models.CharField(_("phone number id"), max_length=32, unique=True)
    display_number = models.CharField(_("number"), max_length=32, help_text=_("E.164, e.g. +4940555010"))
    access_token = models.CharField(_("access token"), max_length=512)
    # Meta signs each webhook body with the app secret (X-Hub-Signature-256) and checks the URL with the verify token.
    app_secret = models.CharField(_("app secret"), max_length=128)
    verify_token = models.CharField(_("verify token"), max_length=128)

    class Meta:
        verbose_name = _("WhatsApp number")
        verbose_name_plural = _("WhatsApp numbers")

    def __str__(self) -> str:
        return self.display_number


class Template(models.Model):
    """A message template Meta approved: the only thing that may go out after the customer's 24 hours."""

    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="whatsapp_templates")
    name = models.CharField(_("name"), max_length=512, help_text=_("as registered at Meta, e.g. case_update"))
    language = models.CharField(_("language"), max_length=16, help_text=_("Meta's code, e.g. de or en_US"))
    # The approved body with {{1}}, {{2}}... as Meta shows it; the desk fills in the case's values.
    body = models.TextField(_("text"))
    approved = models.BooleanField(_("approved"), default=True)

    class Meta:
        verbose_name = _("WhatsApp template")
        verbose_name_plural = _("WhatsApp templates")
        constraints = [models.UniqueConstraint(fields=["brand", "name", "language"], name="wa_template_once")]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"


class TemplateSend(models.Model):
    """An outgoing message that is a template: which one, and the values for its placeholders."""

    message = models.OneToOneField("core.Message", on_delete=models.CASCADE, related_name="whatsapp_template")
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="+")
    parameters = models.JSONField(default=list)

    def __str__(self) -> str:
        return f"{self.template} on message {self.message_id}"
