"""The promise ledger: keeping rates per agent and team, my open promises, what is overdue; going on leave."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_POST

from anliegen.core.models import Agent
from anliegen.promises import rates
from anliegen.promises.checks import overdue
from anliegen.promises.models import Promise
from anliegen.routing import absence

from .. import scope
from ..pages import render_page


@require_GET
@scope.agent_required
def ledger(request: HttpRequest) -> HttpResponse:
    """Promise-keeping rates per agent and per team, my open promises, and what is overdue."""
    agent, ids = request.agent, scope.brand_ids(request.agent)
    try:
        days = min(max(int(request.GET.get("days", 30)), 1), 365)
    except ValueError:
        days = 30
    mine = Promise.objects.filter(owner=agent, state=Promise.State.OPEN, brand_id__in=ids).select_related("case")
    mine = mine.order_by("due_at")
    late = Promise.objects.filter(overdue(), brand_id__in=ids).select_related("case", "owner").order_by("due_at")
    context = {
        "days": days,
        "agent_rates": rates.by_agent(ids, days),
        "team_rates": rates.by_team(ids, days),
        "mine": mine[:100],
        "late": late[:100],
        "covered": absence.covered_cases(agent),
    }
    return render_page(request, "desk/promises/ledger.html", context)


@require_POST
@scope.agent_required
def leave(request: HttpRequest) -> HttpResponse:
    agent: Agent = request.agent
    error = ""
    try:
        absence.do_set_leave(agent, request.POST.get("on_leave") == "1", actor=agent)
    except absence.AbsenceError as exc:
        error = str(exc)
    if error:
        return render_page(request, "desk/promises/ledger_error.html", {"error": error}, status=400)
    return redirect("desk:promise_ledger")
