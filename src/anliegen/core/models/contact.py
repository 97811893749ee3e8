"""Contacts (end customers) and their many identities across channels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class IdentityKind(models.TextChoices):
    EMAIL = "email", _("e-mail")
    PHONE = "phone", _("phone")
    X_HANDLE = "x_handle", _("X handle")
    # X's account id: stable where a handle is renamed and taken by someone else, and what a DM is sent to.
    X_ID = "x_id", _("X account")
    FACEBOOK_PSID = "facebook_psid", _("Facebook")
    INSTAGRAM_ID = "instagram_id", _("Instagram")
    TELEGRAM_ID = "telegram_id", _("Telegram")
    WHATSAPP = "whatsapp", _("WhatsApp")
    APP_USER_ID = "app_user_id", _("app user")
    # A chat visitor before (or without) an address: the conversation's own random key.
    CHAT_ID = "chat_id", _("chat visitor")


class Contact(models.Model):
    brand = models.ForeignKey("core.Brand", on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(_("name"), max_length=160, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    # A contact merged into another keeps its row (and its id in old links and audit entries).
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("merged into")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        indexes = [models.Index(fields=["brand", "name"], name="contact_brand_name_idx")]

    def __str__(self) -> str:
        return self.name or f"#{self.pk}"

    def batch_keys(self) -> list[tuple]:
        """What a lookup in an intake batch may find this row by while it is not written (base/writes.py)."""
        return [("contact", self.pk)]


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

    def batch_keys(self) -> list[tuple]:
        """What a lookup in an intake batch may find this row by while it is not written (base/writes.py)."""
        return [("identity", self.brand_id, self.kind, self.value), ("identities of", self.contact_id)]


class MergeProposal(models.Model):
    """Two contacts that may be one person: found by identity resolution, decided by an agent."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        MERGED = "merged", _("merged")
        DISMISSED = "dismissed", _("dismissed")

    brand = models.ForeignKey("core.Brand", on_delete=models.PROTECT, related_name="+")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="merge_proposals")
    other = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="+")
    # The identities that tied the two together, e.g. [["email", "a@x.org"], ["phone", "+4940..."]].
    evidence = models.JSONField(default=list, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    decided_by = models.ForeignKey("core.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("merge proposal")
        verbose_name_plural = _("merge proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["contact", "other"], condition=models.Q(state="open"), name="mergeproposal_open_pair_uniq"
            )
        ]

    def __str__(self) -> str:
        return f"{self.contact_id} + {self.other_id} ({self.state})"


class VerificationCode(models.Model):
    """A one-time code sent to a verified identity to prove that a new identity is the same person."""

    identity = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="verification_codes")
    sent_to = models.ForeignKey(Identity, on_delete=models.CASCADE, related_name="+")
    # Only a keyed hash is stored: a database reader cannot verify identities.
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"code for {self.identity}"
