"""Poor ratings in the desk: /desk/satisfaction/ lists the open follow-ups of the brands one supervises."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from anliegen.desk import scope
from anliegen.desk.pages import render_page

from . import services
from .models import FollowUp


def supervised_brand_ids(agent: object) -> list[int]:
    return list(scope.outbox_brands(agent).values_list("pk", flat=True))


@require_GET
@scope.agent_required
def follow_ups(request: HttpRequest) -> HttpResponse:
    brand_ids = supervised_brand_ids(request.agent)
    if not brand_ids:
        raise Http404
    rows = (
        FollowUp.objects.filter(brand_id__in=brand_ids, done_at__isnull=True)
        .select_related("survey__case", "survey__agent", "supervisor", "brand")
        .order_by("created_at")[:200]
    )
    done = (
        FollowUp.objects.filter(brand_id__in=brand_ids, done_at__isnull=False)
        .select_related("survey__case", "done_by")
        .order_by("-done_at")[:20]
    )
    return render_page(request, "csat/follow_ups.html", {"rows": rows, "done": done})


@require_POST
@scope.agent_required
def finish(request: HttpRequest, follow_up_id: int) -> HttpResponse:
    follow_up = (
        FollowUp.objects.filter(pk=follow_up_id, brand_id__in=supervised_brand_ids(request.agent))
        .select_related("survey")
        .first()
    )
    if follow_up is None:
        raise Http404
    services.do_finish(follow_up, request.agent, request.POST.get("outcome", ""))
    return redirect("desk:csat_follow_ups")
