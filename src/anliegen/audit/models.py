"""An audit entry: append-only (the database refuses to change or delete one, see migrations/0002)."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    CASE_STATE = "case.state", _("case state changed")
    CASE_ASSIGN = "case.assign", _("case reassigned")
    CASE_MERGE = "case.merge", _("cases merged")
    CASE_SPLIT = "case.split", _("case split")
    CASE_TAG = "case.tag", _("case tags changed")
    CASE_INCIDENT = "case.incident", _("case linked to an incident")
    CASE_INCIDENT_OFF = "case.incident_off", _("case unlinked from an incident")
    CASE_MACRO = "case.macro", _("macro applied")
    CONTACT_MERGE = "contact.merge", _("contacts merged")
    CONTACT_SPLIT = "contact.split", _("contact split")
    PROMISE_MADE = "promise.made", _("promise made")
    PROMISE_KEPT = "promise.kept", _("promise kept")
    PROMISE_BROKEN = "promise.broken", _("promise broken")
    PROMISE_CANCELLED = "promise.cancelled", _("promise cancelled")
    CONTACT_VIEW = "contact.view", _("personal data viewed")
    CONTACT_EXPORT = "contact.export", _("personal data exported")
    CONTACT_ERASE = "contact.erase", _("personal data erased")
    RETENTION = "retention.delete", _("deleted after the retention period")
    REPORT_EXPORT = "report.export", _("report exported (CSV)")
    SIGNIN = "signin.ok", _("signed in")
    SIGNIN_FAILED = "signin.failed", _("sign-in failed")
    TWO_FACTOR_ON = "signin.2fa_on", _("two-factor sign-in set up")
    TWO_FACTOR_OFF = "signin.2fa_off", _("two-factor sign-in turned off")
    TWO_FACTOR_RESET = "signin.2fa_reset", _("two-factor sign-in reset by an admin")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    # No database constraints on these: an entry outlives the agent, the brand and the object it names, and a
    # cascading delete or SET NULL would be a change the append-only triggers refuse.
    brand = models.ForeignKey(
        "core.Brand", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    actor = models.ForeignKey(
        "core.Agent", on_delete=models.DO_NOTHING, db_constraint=False, null=True, related_name="+"
    )
    # Who it was at the time ("" and actor None: the system, e.g. the retention worker or an API integration).
    actor_name = models.CharField(_("who"), max_length=160, blank=True)
    via = models.CharField(_("via"), max_length=40, blank=True)  # "desk", "api:<integration>", "worker"
    action = models.CharField(_("action"), max_length=40, choices=Action.choices)
    object_type = models.CharField(_("object"), max_length=40)
    object_id = models.CharField(_("object id"), max_length=64)
    # Ids and states only, never personal data: an erasure must not leave the erased data here.
    detail = models.JSONField(_("detail"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["brand", "at"], name="audit_brand_at_idx"),
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name or '-'} {self.action} {self.object_type}:{self.object_id}"
