"""A sign-in between its first step (password or identity provider) and the second factor.

Until the code is given the session is not signed in at all: it only remembers whose sign-in waits, through
which backend, for how long and where to go afterwards. So nothing that trusts a signed-in session (desk pages,
the API, the desk's websockets) can be reached with the password alone.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import auth
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.models import Device

from . import audit_trail, two_factor

SESSION_KEY = "anliegen_signin_pending"


def safe_next(request: HttpRequest, target: str) -> str:
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def begin(request: HttpRequest, user: AbstractBaseUser, next_url: str = "") -> HttpResponse:
    """After the first step: signed in now when no second factor is needed, else on to the code step (or to
    enrolment, when a second factor is required and the user has none yet)."""
    target = safe_next(request, next_url)
    enrolled = two_factor.is_enrolled(user)
    if not enrolled and not two_factor.is_required(user):
        auth.login(request, user, backend=user.backend)
        audit_trail.signed_in(user)
        return HttpResponseRedirect(target)
    request.session.cycle_key()  # a fresh session id for the half-signed-in state too
    request.session[SESSION_KEY] = {
        "user": user.pk,
        "backend": user.backend,
        "next": target,
        "until": time.time() + settings.TWO_FACTOR_PENDING_SECONDS,
    }
    return HttpResponseRedirect(reverse("desk:login_code" if enrolled else "desk:login_enrol"))


def user(request: HttpRequest) -> AbstractBaseUser | None:
    """Whose sign-in waits for its second factor in this session, or None (none, or it took too long)."""
    state = request.session.get(SESSION_KEY)
    if not state:
        return None
    if state["until"] < time.time():
        request.session.pop(SESSION_KEY, None)
        return None
    found = auth.get_user_model()._default_manager.filter(pk=state["user"], is_active=True).first()
    if found is not None:
        found.backend = state["backend"]
    return found


def finish(request: HttpRequest, user: AbstractBaseUser, device: Device) -> HttpResponse:
    """The second factor was given: signed in, the session marked as verified with that device."""
    state = request.session.pop(SESSION_KEY)
    user.otp_device = device  # django-otp stores it in the session on login
    auth.login(request, user, backend=state["backend"])
    audit_trail.signed_in(user, device)
    return HttpResponseRedirect(state["next"])


def cancel(request: HttpRequest) -> None:
    request.session.pop(SESSION_KEY, None)
