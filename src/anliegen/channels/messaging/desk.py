"""The messaging adapters' health in the desk, for a brand's admins (and staff): /desk/channels/."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anliegen.core import roles
from anliegen.core.models import Agent, Brand
from anliegen.desk import scope
from anliegen.desk.pages import render_page

from . import health


def admin_brands(agent: Agent) -> list[Brand]:
    return list(Brand.objects.filter(pk__in=roles.brand_ids(agent, roles.ADMIN)).order_by("name"))


@require_GET
@scope.agent_required
def board(request: HttpRequest) -> HttpResponse:
    brands = admin_brands(request.agent)
    if not brands:
        return render(request, "desk/forbidden.html", {"agent": request.agent}, status=403)
    rows = [(brand, health.snapshot(brand)) for brand in brands]
    return render_page(request, "messaging/health.html", {"rows": rows})


@require_POST
@scope.agent_required
def check(request: HttpRequest, brand_id: int, channel: str) -> HttpResponse:
    scope.get_brand_or_404(request.agent, brand_id)  # another brand's is not there at all
    brand = next((b for b in admin_brands(request.agent) if b.pk == brand_id), None)
    if brand is None or channel not in health.checked_channels():
        return render(request, "desk/forbidden.html", {"agent": request.agent}, status=403)
    result = health.check(brand, channel)
    if result.ok:
        messages.success(request, _("%(channel)s: credentials accepted (%(detail)s)") % _named(channel, result))
    else:
        messages.error(request, _("%(channel)s: credentials refused: %(detail)s") % _named(channel, result))
    return redirect("desk:channel_health")


def _named(channel: str, result: object) -> dict:
    return {"channel": channel, "detail": result.detail}
