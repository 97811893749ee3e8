"""The lists: my cases, and the team queue of my brands; htmx asks for the list alone when something changes."""

from __future__ import annotations

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from anliegen.core.models import CaseState
from anliegen.core.models.case import OPEN_STATES

from .. import scope
from ..forms import QueueFilterForm
from ..pages import keyset, render_page

DONE_STATES = (CaseState.SOLVED, CaseState.CLOSED)


def _list_response(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    # A live refresh (desk.js) or "more" asks for the list fragment only, not the page around it.
    if request.htmx and request.GET.get("part") == "list":
        template = "desk/_case_list.html"
    return render_page(request, template, context)


@require_GET
@scope.agent_required
def inbox(request: HttpRequest) -> HttpResponse:
    """My cases: open and waiting ones first (the default view), solved and closed on their own tab."""
    agent = request.agent
    done = request.GET.get("show") == "done"
    cases = scope.listed_cases(agent).filter(owner=agent, state__in=DONE_STATES if done else OPEN_STATES)
    page = keyset(cases, request.GET.get("after"))
    context = {"page": page, "done": done, "list_title": "mine", "filter_query": "show=done" if done else ""}
    return _list_response(request, "desk/inbox.html", context)


@require_GET
@scope.agent_required
def queue(request: HttpRequest) -> HttpResponse:
    """The team queue: every case of my brands, open and waiting by default, filterable by brand and state."""
    agent = request.agent
    brand_param = request.GET.get("brand", "")
    if brand_param:
        scope.get_brand_or_404(agent, brand_param)  # another brand's queue is a 404, never an empty list
    choices = list(scope.brands(agent).values_list("pk", "name"))
    form = QueueFilterForm(choices, request.GET)
    if not form.is_valid():
        raise BadRequest("bad queue filter")
    cases = scope.listed_cases(agent)
    if form.cleaned_data["brand"]:
        cases = cases.filter(brand_id=form.cleaned_data["brand"])
    state = form.cleaned_data["state"]
    cases = cases.filter(state=state) if state else cases.filter(state__in=OPEN_STATES)
    page = keyset(cases, request.GET.get("after"))
    query = "&".join(f"{k}={v}" for k, v in (("brand", brand_param), ("state", state)) if v)
    context = {"page": page, "form": form, "list_title": "queue", "filter_query": query}
    return _list_response(request, "desk/queue.html", context)
