"""API keys of a brand's apps (only a hash is kept) and reports grouped by fingerprint for supervisors."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AppKey(models.Model):
    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="app_keys")
    name = models.CharField(_("name"), max_length=120)
    # The key's public part, shown in lists and logs; the secret is known only to the app.
    prefix = models.CharField(max_length=16, unique=True)
    key_hash = models.CharField(max_length=64)  # SHA-256 of the whole key (high entropy: no slow hash needed)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("app API key")
        verbose_name_plural = _("app API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ReportGroup(models.Model):
    """Reports with the same app version and error signature: one problem, seen by many."""

    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="+")
    fingerprint = models.CharField(max_length=32)
    app_version = models.CharField(max_length=60, blank=True)
    signature = models.CharField(max_length=300, blank=True)
    count = models.PositiveIntegerField(default=0)
    first_seen_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["brand", "fingerprint"], name="reportgroup_brand_fp_uniq")]

    def __str__(self) -> str:
        return f"{self.app_version} {self.signature[:40]}"


class Report(models.Model):
    group = models.ForeignKey(ReportGroup, on_delete=models.CASCADE, related_name="reports")
    inbound = models.OneToOneField("intake.Inbound", on_delete=models.CASCADE, related_name="+")
    case = models.ForeignKey("core.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # How the app wants the answer: "poll" (in-app, the poll URL) or "email".
    answer_via = models.CharField(max_length=10, default="poll")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"report {self.pk}"
