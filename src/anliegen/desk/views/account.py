"""Signing in and out, and the agent's presence (online, away, offline) that routing reads."""

from __future__ import annotations

import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anliegen.core.services.presence import set_presence

from .. import scope
from ..forms import PresenceForm

login = auth_views.LoginView.as_view(template_name="desk/login.html", redirect_authenticated_user=True)
logout = auth_views.LogoutView.as_view()


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
    """Sign-in paused after too many wrong passwords (django-axes): our page, 429, and when to try again."""
    wait = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds()))
    response = render(request, "desk/login_locked.html", {"minutes": math.ceil(wait / 60)}, status=429)
    response["Retry-After"] = str(wait)
    return response
