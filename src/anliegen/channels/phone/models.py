"""Phone state the channel keeps itself: a brand's PBX line, each call's facts, each agent's phone presence."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _


def new_line_token() -> str:
    return secrets.token_urlsafe(24)


class PhoneLine(models.Model):
    """How a brand's PBX talks to us: the secret in its event URL, its number format, its provider keys."""

    brand = models.OneToOneField("core.Brand", on_delete=models.CASCADE, related_name="phone_line")
    # Part of every event and routing URL the PBX is given; compared in constant time.
    token = models.CharField(_("token"), max_length=64, unique=True, default=new_line_token)
    # Twilio signs its callbacks with the account's auth token (X-Twilio-Signature).
    twilio_auth_token = models.CharField(_("Twilio auth token"), max_length=64, blank=True)
    # Where a TwiML <Dial> reaches an extension: sip:<extension>@<sip_domain> (blank: the extension as dialled).
    sip_domain = models.CharField(_("SIP domain"), max_length=190, blank=True)
    # Handling time assumed until the brand has recorded calls of its own (seconds).
    default_handling_seconds = models.PositiveIntegerField(_("assumed handling time (s)"), default=300)

    class Meta:
        verbose_name = _("phone line")
        verbose_name_plural = _("phone lines")

    def __str__(self) -> str:
        return f"phone line of {self.brand}"


class CallResult(models.TextChoices):
    RINGING = "ringing", _("ringing")
    ANSWERED = "answered", _("answered")
    MISSED = "missed", _("missed")
    BUSY = "busy", _("busy")
    VOICEMAIL = "voicemail", _("voicemail")


class Call(models.Model):
    """One call, merged from its events in whatever order they came; its Message of kind call is on the case."""

    brand = models.ForeignKey("core.Brand", on_delete=models.PROTECT, related_name="+")
    call_id = models.CharField(max_length=250)
    message = models.OneToOneField(
        "core.Message", on_delete=models.SET_NULL, null=True, blank=True, related_name="call"
    )
    direction = models.CharField(max_length=3, choices=[("in", _("inbound")), ("out", _("outbound"))])
    number = models.CharField(_("number (E.164)"), max_length=32, blank=True)
    # What the PBX sent for the customer's side, kept when it could not be read as a number.
    number_raw = models.CharField(max_length=64, blank=True)
    number_problem = models.CharField(max_length=200, blank=True)
    line_number = models.CharField(max_length=64, blank=True)  # our side: the hotline or an extension's DID
    agent = models.ForeignKey("core.Agent", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    extension = models.CharField(max_length=40, blank=True)
    ringing = models.JSONField(default=list, blank=True)  # extensions that rang
    result = models.CharField(max_length=10, choices=CallResult.choices, default=CallResult.RINGING)
    cause = models.CharField(max_length=40, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    duration_seconds = models.PositiveIntegerField(null=True, blank=True)  # talk time
    events = models.JSONField(default=list, blank=True)  # [event, at, extension] as applied
    note = models.TextField(_("call note"), blank=True)
    callback = models.ForeignKey("promises.Promise", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [models.UniqueConstraint(fields=["brand", "call_id"], name="call_brand_callid_uniq")]
        indexes = [models.Index(fields=["brand", "ended_at"], name="call_brand_ended_idx")]

    def __str__(self) -> str:
        return f"{self.direction} {self.number or self.number_raw} ({self.result})"


class PhoneState(models.TextChoices):
    AVAILABLE = "available", _("available")
    RINGING = "ringing", _("ringing")
    ON_CALL = "on_call", _("on a call")
    WRAP_UP = "wrap_up", _("wrap-up")
    AWAY = "away", _("away")


class AgentPhone(models.Model):
    """An agent's phone presence, set by call events and the desk toggle; routing reads it."""

    agent = models.OneToOneField("core.Agent", on_delete=models.CASCADE, related_name="phone")
    state = models.CharField(max_length=10, choices=PhoneState.choices, default=PhoneState.AVAILABLE)
    call_id = models.CharField(max_length=250, blank=True)  # the call that set ringing / on a call
    since = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("phone presence")
        verbose_name_plural = _("phone presence")

    def __str__(self) -> str:
        return f"{self.agent}: {self.state}"


class CallbackBooking(models.Model):
    """A callback the caller booked on the call itself (the routing answer's offer): one per brand and call id."""

    brand = models.ForeignKey("core.Brand", on_delete=models.CASCADE, related_name="+")
    call_id = models.CharField(max_length=250)
    promise = models.ForeignKey("promises.Promise", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("callback booked on a call")
        verbose_name_plural = _("callbacks booked on calls")
        constraints = [models.UniqueConstraint(fields=["brand", "call_id"], name="callbackbooking_brand_call_uniq")]

    def __str__(self) -> str:
        return f"callback for call {self.call_id}"
