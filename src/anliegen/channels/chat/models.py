"""Chat conversations (one per visitor and case) and where each brand's widget may be embedded."""

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_key() -> str:
    return secrets.token_urlsafe(18)


class ChatSetup(models.Model):
    """Per brand: whether the widget answers, and the sites (origins) allowed to embed it."""

    brand = models.OneToOneField("core.Brand", on_delete=models.CASCADE, related_name="chat_setup")
    enabled = models.BooleanField(_("chat enabled"), default=True)
    # Exact origins such as "https://www.kabelwelle.example"; the product's own origin is always allowed.
    origins = models.JSONField(_("allowed origins"), default=list, blank=True)

    class Meta:
        verbose_name = _("chat setup")
        verbose_name_plural = _("chat setups")

    def __str__(self) -> str:
        return f"chat of {self.brand_id}"


class Conversation(models.Model):
    brand = models.ForeignKey("core.Brand", on_delete=models.PROTECT, related_name="+")
    # The visitor's identity (kind chat_id) and the secret inside the resume token; never shown to agents.
    key = models.CharField(max_length=40, unique=True, default=new_key, editable=False)
    case = models.ForeignKey("core.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    name = models.CharField(_("name"), max_length=160, blank=True)
    email = models.EmailField(_("e-mail for the rest"), blank=True)  # the offline fallback
    language = models.CharField(max_length=8, blank=True)
    page_url = models.CharField(_("page"), max_length=1000, blank=True)
    # Open visitor sockets; zero means answers go by e-mail when an address is known.
    connections = models.IntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("chat conversation")
        verbose_name_plural = _("chat conversations")
        indexes = [models.Index(fields=["brand", "last_seen_at"], name="chat_conv_brand_seen_idx")]

    def __str__(self) -> str:
        return f"chat {self.pk}"
