"""Two-factor sign-in in the desk: the code step after the password, enrolment, and an admin's reset."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth.signals import user_login_failed
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anliegen.core import roles as brand_roles
from anliegen.core.models import Agent

from .. import scope
from ..pages import render_page
from ..signin import audit_trail, pending, two_factor
from ..signin.forms import CodeForm, ConfirmForm
from .account import locked_out

DESK = "desk/base.html"


def login_code(request: HttpRequest) -> HttpResponse:
    """The second step: the app's code or a recovery code. Wrong codes count like wrong passwords (django-axes):
    the same limit pauses the same user name from the same address."""
    user = pending.user(request)
    if user is None or not two_factor.is_enrolled(user):
        return redirect("desk:login")
    credentials = {"username": user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        return locked_out(request, None, credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = two_factor.verify(user, form.cleaned_data["code"])
        if device is not None:
            return pending.finish(request, user, device)
        audit_trail.failed(user, "code")
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            return locked_out(request, None, credentials)
        form.add_error("code", _("This code is not right. Please try the current one."))
    return render(request, "desk/login_code.html", {"form": form})


def login_enrol(request: HttpRequest) -> HttpResponse:
    """A second factor is required and the user has none yet: enrol now, then signed in."""
    user = pending.user(request)
    if user is None or two_factor.is_enrolled(user) or not two_factor.is_required(user):
        return redirect("desk:login")
    return _enrol(request, user, signing_in=True)


def _enrol(request: HttpRequest, user: object, *, signing_in: bool) -> HttpResponse:
    form = ConfirmForm(request.POST or None)
    device = None
    if request.method == "POST" and form.is_valid():
        device = two_factor.pending_enrolment(user, form.cleaned_data["device"])
    if device is None:  # the first visit, or a form of a replaced secret: a new secret
        device = two_factor.do_start_enrolment(user)
        form = ConfirmForm(initial={"device": device.pk})
    else:
        codes = two_factor.check_confirm(device, form.cleaned_data["code"])
        if codes is not None:
            if signing_in:
                response = pending.finish(request, user, device)
                context = {"codes": codes, "next": response.url, "base": "base.html"}
                return render(request, "desk/two_factor_codes.html", context)
            return render_page(request, "desk/two_factor_codes.html", {"codes": codes, "base": DESK})
        form.add_error("code", _("This code is not right. Check the time on your phone and try again."))
    context = {
        "form": form,
        "device": device,
        "qr": two_factor.qr_svg(device),
        "secret": two_factor.secret(device),
        "base": "base.html" if signing_in else DESK,
    }
    if signing_in:
        return render(request, "desk/two_factor_setup.html", context)
    return render_page(request, "desk/two_factor_setup.html", context)


@scope.agent_required
def account(request: HttpRequest) -> HttpResponse:
    """The agent's own sign-in security: is a second factor set up, is it required, recovery codes left."""
    user = request.user
    context = {
        "enrolled": two_factor.is_enrolled(user),
        "required_by": two_factor.required_by(user),
        "codes_left": two_factor.recovery_codes_left(user),
        "form": CodeForm(),
    }
    return render_page(request, "desk/two_factor.html", context)


@scope.agent_required
def setup(request: HttpRequest) -> HttpResponse:
    if two_factor.is_enrolled(request.user):
        return redirect("desk:two_factor")
    return _enrol(request, request.user, signing_in=False)


def _with_current_code(request: HttpRequest) -> bool:
    """Changes to the second factor need a current code: an unlocked screen left alone is not enough."""
    form = CodeForm(request.POST)
    if form.is_valid() and two_factor.verify(request.user, form.cleaned_data["code"]) is not None:
        return True
    messages.error(request, _("This code is not right. Please try the current one."))
    return False


@require_POST
@scope.agent_required
def recovery(request: HttpRequest) -> HttpResponse:
    if not two_factor.is_enrolled(request.user) or not _with_current_code(request):
        return redirect("desk:two_factor")
    codes = two_factor.do_new_recovery_codes(request.user)
    return render_page(request, "desk/two_factor_codes.html", {"codes": codes, "base": DESK})


@require_POST
@scope.agent_required
def turn_off(request: HttpRequest) -> HttpResponse:
    if two_factor.is_required(request.user):
        messages.error(request, _("Two-factor sign-in is required for you and cannot be turned off."))
    elif two_factor.is_enrolled(request.user) and _with_current_code(request):
        two_factor.do_remove(request.user, request.agent)
        messages.success(request, _("Two-factor sign-in is off."))
    return redirect("desk:two_factor")


def _administered(agent: Agent) -> list[int]:
    # Staff count as admins of their own brands here (they see every agent in the Django admin).
    return brand_roles.brand_ids(agent, brand_roles.ADMIN)


@scope.agent_required
def team(request: HttpRequest) -> HttpResponse:
    """For admins: who of their brands' agents signs in with a second factor, with a reset for a lost phone."""
    brand_ids = _administered(request.agent)
    if not brand_ids:
        return render_page(request, "desk/two_factor_team.html", {"rows": None}, status=403)
    agents = Agent.objects.filter(memberships__brand_id__in=brand_ids).select_related("user").distinct()
    rows = [(agent, two_factor.is_enrolled(agent.user), two_factor.is_required(agent.user)) for agent in agents]
    return render_page(request, "desk/two_factor_team.html", {"rows": rows})


@require_POST
@scope.agent_required
def reset(request: HttpRequest, agent_id: int) -> HttpResponse:
    """Remove an agent's second factor (a lost phone); only for an admin of one of that agent's brands."""
    brand_ids = _administered(request.agent)
    target = Agent.objects.filter(pk=agent_id, memberships__brand_id__in=brand_ids).select_related("user").first()
    if target is None:
        raise Http404
    two_factor.do_remove(target.user, request.agent)
    messages.success(request, _("Two-factor sign-in of %(name)s was reset.") % {"name": target.name})
    return redirect("desk:two_factor_team")
