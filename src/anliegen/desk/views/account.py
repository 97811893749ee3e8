"""Signing in and out, and the agent's presence (online, away, offline) that routing reads."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS, BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anliegen.core.services.presence import set_presence

from .. import scope
from ..forms import PresenceForm
from ..signin import audit_trail, oidc, pending


class LoginView(auth_views.LoginView):
    """The password step; with a second factor enrolled (or required) it leads on to the code step."""

    template_name = "desk/login.html"
    redirect_authenticated_user = True

    def form_valid(self, form: auth_views.AuthenticationForm) -> HttpResponse:
        return pending.begin(self.request, form.get_user(), self.get_redirect_url())

    def form_invalid(self, form: auth_views.AuthenticationForm) -> HttpResponse:
        if form.has_error(NON_FIELD_ERRORS, "invalid_login"):  # a name and a password were given, and are wrong
            audit_trail.failed_password(form.data.get("username", ""))
        return super().form_invalid(form)

    def get_context_data(self, **kwargs: object) -> dict:
        return super().get_context_data(**kwargs) | {"sso_name": oidc.provider_name()}


login = LoginView.as_view()
logout = auth_views.LogoutView.as_view()


def admin_login(request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
    """The admin's sign-in is the desk's, so the admin cannot be entered with the password alone."""
    if request.user.is_authenticated:
        return redirect("desk:inbox")  # signed in, yet not staff: the admin's own login form would sign in anew
    return login(request)


@require_POST
@scope.agent_required
def presence(request: HttpRequest) -> HttpResponse:
    form = PresenceForm(request.POST)
    if not form.is_valid():
        raise BadRequest("unknown presence")
    set_presence(request.agent, form.cleaned_data["presence"])
    if request.htmx:
        return HttpResponse(status=204)
    messages.success(request, _("Presence: %(presence)s") % {"presence": request.agent.get_presence_display()})
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        back = "desk:inbox"
    return redirect(back)


def locked_out(request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None) -> HttpResponse:
    """Sign-in paused after too many wrong passwords or codes (django-axes): our page, 429, and when to try
    again."""
    wait = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds()))
    match = request.resolver_match
    codes = match is not None and match.url_name in {"login_code", "login_enrol"}
    context = {"minutes": math.ceil(wait / 60), "codes": codes}
    response = render(request, "desk/login_locked.html", context, status=429)
    response["Retry-After"] = str(wait)
    return response
