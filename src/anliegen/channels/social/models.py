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


class PublicPost(models.Model):
    """A post of the brand on its own timeline or page: an incident update or a tip, with the provider's id.

    Replies to it are threaded to its incident (the intake's incident stage finds the post by that id).
    """

    class Kind(models.TextChoices):
        INCIDENT = "incident", _("incident update")
        TIP = "tip", _("tip")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        POSTED = "posted", _("posted")
        FAILED = "failed", _("failed")

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="posts")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    incident = models.ForeignKey(
        "core.Incident", on_delete=models.SET_NULL, null=True, blank=True, related_name="public_posts"
    )
    update = models.ForeignKey(
        "selfservice.IncidentUpdate", on_delete=models.SET_NULL, null=True, blank=True, related_name="public_posts"
    )
    text = models.TextField(_("text"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    # The provider's id as a reply to it names it: "x.tweet.<id>", "meta.post.<id>" (what in_reply_to reads).
    external_id = models.CharField(max_length=250, blank=True, db_index=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    posted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("public post")
        verbose_name_plural = _("public posts")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "update"],
                name="publicpost_once_per_update",
                condition=models.Q(update__isnull=False),
            )
        ]

    def __str__(self) -> str:
        return f"{self.account}: {self.text[:40]}"
