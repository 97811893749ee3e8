"""The webhook delivery log in the desk, for a brand's admins (and staff): /desk/webhooks/, with replay."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anliegen.core import roles
from anliegen.core.models import Agent
from anliegen.desk import scope
from anliegen.desk.pages import render_page

from . import delivery
from .models import WebhookDelivery, WebhookEndpoint

SHOWN = 100


def admin_brand_ids(agent: Agent) -> list[int]:
    return roles.brand_ids(agent, roles.ADMIN)


@require_GET
@scope.agent_required
def log(request: HttpRequest) -> HttpResponse:
    brands = admin_brand_ids(request.agent)
    if not brands:
        return render(request, "desk/forbidden.html", {"agent": request.agent}, status=403)
    shown = WebhookDelivery.objects.filter(brand_id__in=brands).select_related("endpoint").order_by("-pk")
    state = request.GET.get("state", "")
    if state in WebhookDelivery.State.values:
        shown = shown.filter(state=state)
    endpoints = (
        WebhookEndpoint.objects.filter(brand_id__in=brands).select_related("brand").order_by("brand__name", "pk")
    )
    context = {
        "endpoints": endpoints,
        "deliveries": list(shown.prefetch_related("log")[:SHOWN]),
        "state": state,
        "states": WebhookDelivery.State.choices,
    }
    return render_page(request, "integrations/log.html", context)


@require_POST
@scope.agent_required
def replay(request: HttpRequest, delivery_id: int) -> HttpResponse:
    found = WebhookDelivery.objects.filter(pk=delivery_id, brand_id__in=admin_brand_ids(request.agent)).first()
    if found is None:
        raise Http404  # another brand's delivery is reported like a missing one
    again = delivery.replay(found)
    messages.success(request, _("The event is sent again (delivery %(id)s).") % {"id": again.pk})
    return redirect("desk:webhook_log")
