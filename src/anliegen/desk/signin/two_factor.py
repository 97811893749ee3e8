"""Two-factor sign-in with an authenticator app (TOTP, RFC 6238) and one-time recovery codes (django-otp)."""

from __future__ import annotations

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from anliegen.audit import services as audit
from anliegen.core.models import Agent, Brand

from . import audit_trail

APP_DEVICE = "authenticator"
RECOVERY_DEVICE = "recovery"
RECOVERY_CODES = 10


def app_device(user: AbstractBaseUser, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, name=APP_DEVICE, confirmed=confirmed).first()


def is_enrolled(user: AbstractBaseUser) -> bool:
    return TOTPDevice.objects.filter(user=user, name=APP_DEVICE, confirmed=True).exists()


def required_by(user: AbstractBaseUser) -> list[str]:
    """Why this user must have a second factor: the installation, or the names of brands that ask for it."""
    if settings.TWO_FACTOR_REQUIRED:
        return ["*"]
    brands = Brand.objects.filter(require_two_factor=True, memberships__agent__user=user)
    return sorted(set(brands.values_list("name", flat=True)))


def is_required(user: AbstractBaseUser) -> bool:
    return bool(required_by(user))


@transaction.atomic
def do_start_enrolment(user: AbstractBaseUser) -> TOTPDevice:
    """A new, unconfirmed secret (a started enrolment that was never confirmed is replaced, never reused:
    its secret may have been seen on a screen left alone)."""
    TOTPDevice.objects.filter(user=user, name=APP_DEVICE, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=APP_DEVICE, confirmed=False)


def pending_enrolment(user: AbstractBaseUser, device_id: object) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, name=APP_DEVICE, confirmed=False, pk=device_id).first()


def secret(device: TOTPDevice) -> str:
    """The secret in base32, grouped by four, for typing into an app that cannot scan."""
    text = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an SVG QR code, drawn here (no image service sees the secret)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=5, border=2, dark="#111", light="#fff")


@transaction.atomic
def check_confirm(device: TOTPDevice, code: str) -> list[str] | None:
    """Confirm an enrolment with a code the app shows: the one app device from now on, and fresh recovery
    codes (returned once, in clear). None when the code is wrong."""
    if not device.verify_token(normalise(code)):
        return None
    TOTPDevice.objects.filter(user=device.user, name=APP_DEVICE).exclude(pk=device.pk).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_trail.record(None, device.user, audit.Action.TWO_FACTOR_ON, by_themselves=True)
    return do_new_recovery_codes(device.user)


@transaction.atomic
def do_new_recovery_codes(user: AbstractBaseUser) -> list[str]:
    """Replace the recovery codes: each signs in once when the phone is gone; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name=RECOVERY_DEVICE)
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_codes_left(user: AbstractBaseUser) -> int:
    return StaticToken.objects.filter(device__user=user, device__name=RECOVERY_DEVICE).count()


def normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def verify(user: AbstractBaseUser, code: str) -> Device | None:
    """The device a code belongs to (the app's current code, or an unused recovery code, which is spent)."""
    code = normalise(code)
    if not code:
        return None
    app = app_device(user)
    if app is not None and code.isdigit() and app.verify_token(code):
        return app
    recovery = StaticDevice.objects.filter(user=user, name=RECOVERY_DEVICE).first()
    if app is not None and recovery is not None and recovery.verify_token(code):
        return recovery
    return None


@transaction.atomic
def do_remove(user: AbstractBaseUser, actor: Agent | None) -> None:
    """Forget the user's second factor (their own choice when not required, or an admin's reset): the next
    sign-in asks for the password only, or for a new enrolment when a second factor is required."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    own = actor is not None and actor.user_id == user.pk
    audit_trail.record(actor, user, audit.Action.TWO_FACTOR_OFF if own else audit.Action.TWO_FACTOR_RESET)
