"""An integration's API token (only a hash is kept), webhook endpoints and every delivery attempt."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Scope(models.TextChoices):
    READ = "read", pgettext_lazy("api scope", "read")
    WRITE = "write", pgettext_lazy("api scope", "write")
    ADMIN = "admin", pgettext_lazy("api scope", "admin")


class Integration(models.Model):
    """Another system reading and writing through the API, for the brands it is given and nothing else."""

    name = models.CharField(_("name"), max_length=120)
    brands = models.ManyToManyField("core.Brand", related_name="integrations", verbose_name=_("brands"))
    scopes = models.JSONField(_("scopes"), default=list, help_text=_("read, write, admin"))
    # The token's public part, shown in lists and logs; the secret is known only to the integration.
    prefix = models.CharField(max_length=16, unique=True)
    token_hash = models.CharField(max_length=64)  # SHA-256 of the whole token (high entropy: no slow hash needed)
    rate_limit = models.CharField(_("rate limit"), max_length=20, default="600/m", help_text=_("e.g. 600/m"))
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("integration")
        verbose_name_plural = _("integrations")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class WebhookEndpoint(models.Model):
    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(_("URL"), max_length=500)
    # Kept in clear: every delivery is signed with it (the receiver has the same secret).
    secret = models.CharField(_("signing secret"), max_length=80)
    events = models.JSONField(_("events"), default=list, blank=True, help_text=_("empty: every event"))
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook endpoint")
        verbose_name_plural = _("webhook endpoints")

    def __str__(self) -> str:
        return self.url

    def wants(self, event: str) -> bool:
        return not self.events or event in self.events


class WebhookDelivery(models.Model):
    """One event for one endpoint, tried until it is accepted or the retries are used up."""

    class State(models.TextChoices):
        PENDING = "pending", _("pending")
        DELIVERED = "delivered", _("delivered")
        FAILED = "failed", _("failed")

    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="+")
    event_id = models.CharField(max_length=40, db_index=True)  # the same for every endpoint told of one event
    event = models.CharField(_("event"), max_length=40)
    payload = models.JSONField()
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(_("response code"), null=True, blank=True)
    error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    replay_of = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("webhook delivery")
        verbose_name_plural = _("webhook deliveries")
        indexes = [models.Index(fields=["endpoint", "-id"], name="webhookdelivery_endpoint_idx")]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint_id} ({self.state})"


class WebhookAttempt(models.Model):
    """The log line of one try: what the receiver answered (or why nothing came back)."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="log")
    at = models.DateTimeField(auto_now_add=True)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)  # its start only
    error = models.TextField(blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.response_code or self.error[:40]} at {self.at:%Y-%m-%d %H:%M:%S}"
