"""The desk's incident pages: the list, opening one, its page (linked cases, timeline, areas), updates, closing,
solving linked cases in bulk, and linking a case by hand. Each view parses a form and calls one service."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anliegen.base.prepared import Prepared
from anliegen.core import roles
from anliegen.core.models import Case, Incident
from anliegen.core.models.case import OPEN_STATES
from anliegen.selfservice.models import IncidentNotice, IncidentProposal, IncidentUpdate
from anliegen.selfservice.services import incidents as service
from anliegen.selfservice.services import proposals

from .. import scope
from ..incident_forms import IncidentForm, LinkForm, UpdateForm
from ..pages import render_page


def get_incident_or_404(agent: object, incident_id: int) -> Incident:
    incident = (
        Incident.objects.select_related("brand").filter(pk=incident_id, brand_id__in=scope.brand_ids(agent)).first()
    )
    if incident is None:
        raise Http404
    return incident


def _managed_brands(agent: object) -> list[tuple[int, str]]:
    return [(b.pk, b.name) for b in scope.brands(agent) if roles.has(agent, b.pk, roles.SUPERVISOR)]


@require_GET
@scope.agent_required
def incident_list(request: HttpRequest) -> HttpResponse:
    shown = Incident.objects.filter(brand_id__in=scope.brand_ids(request.agent)).select_related("brand")
    context = {
        "active": shown.filter(state=Incident.State.ACTIVE).order_by("-starts_at"),
        "resolved": shown.filter(state=Incident.State.RESOLVED).order_by("-resolved_at")[:50],
        "may_open": bool(_managed_brands(request.agent)),
        "proposals": IncidentProposal.objects.filter(
            brand_id__in=[pk for pk, _name in _managed_brands(request.agent)], state=IncidentProposal.State.OPEN
        ).select_related("brand")[:20],
    }
    return render_page(request, "desk/incidents/list.html", context)


@require_http_methods(["GET", "POST"])
@scope.agent_required
def incident_new(request: HttpRequest) -> HttpResponse:
    brands = _managed_brands(request.agent)
    if not brands:
        return render_page(request, "desk/forbidden.html", status=403)
    form = IncidentForm(brands, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        brand = scope.get_brand_or_404(request.agent, data.pop("brand"))
        incident = service.check_open(brand, request.agent, **data)
        messages.success(request, _("The incident is open and on the status page."))
        return redirect("desk:incident", incident_id=incident.pk)
    return render_page(request, "desk/incidents/new.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
@scope.agent_required
def incident_detail(request: HttpRequest, incident_id: int) -> HttpResponse:
    return _detail(request, get_incident_or_404(request.agent, incident_id))


def _detail(request: HttpRequest, incident: Incident, update_form: UpdateForm | None = None) -> HttpResponse:
    linked = Case.objects.filter(incident=incident).select_related("owner", "contact")
    updates = list(IncidentUpdate.objects.filter(incident=incident).select_related("author"))
    for update in updates:
        update.told = IncidentNotice.objects.filter(update=update).count()
    mine_open = linked.filter(owner=request.agent, state__in=OPEN_STATES).count()
    context = {
        "incident": incident,
        "cases": linked.order_by("-updated_at")[:200],
        "linked_count": linked.count(),
        "open_count": linked.filter(state__in=OPEN_STATES).count(),
        "mine_open": mine_open,
        "updates": updates,
        "may_manage": service.may_manage(request.agent, incident.brand_id),
        "update_form": update_form or UpdateForm(initial={"ends_at": incident.ends_at}),
    }
    return render_page(request, "desk/incidents/detail.html", context, status=422 if update_form else 200)


@require_POST
@scope.agent_required
def incident_update(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_incident_or_404(request.agent, incident_id)
    if not service.may_manage(request.agent, incident.brand_id):
        return scope.forbidden(request)  # agents read incidents; their brand's supervisors post and close them
    form = UpdateForm(request.POST)
    if not form.is_valid():
        return _detail(request, incident, update_form=form)
    data = form.cleaned_data
    try:
        service.check_manage(incident, request.agent)
        if data["close"]:
            service.do_close(incident, request.agent, data["text"], data["text_en"])
            messages.success(request, _("The incident is closed; everyone linked is being told."))
        else:
            service.do_update(incident, request.agent, data["text"], data["text_en"], ends_at=data["ends_at"])
            messages.success(request, _("The update is on the status page; every linked case is being told."))
    except service.IncidentError as exc:
        messages.error(request, str(exc))
    return redirect("desk:incident", incident_id=incident.pk)


@require_POST
@scope.agent_required
def incident_solve(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = get_incident_or_404(request.agent, incident_id)
    try:
        count = service.do_solve_linked(incident, request.agent)
        messages.success(request, _("%(count)d of your cases solved.") % {"count": count})
    except service.IncidentError as exc:
        messages.error(request, str(exc))
    return redirect("desk:incident", incident_id=incident.pk)


@require_POST
@scope.agent_required
def case_incident(request: HttpRequest, case_id: int) -> HttpResponse:
    """Link the case to an active incident of its brand, or unlink it."""
    case = scope.get_case_or_404(request.agent, case_id)
    if request.POST.get("unlink"):
        service.do_unlink(case, request.agent)
        messages.success(request, _("The case is no longer linked to the incident."))
        return redirect("desk:case", case_id=case.pk)
    form = LinkForm(incident_choices(case), request.POST)
    if form.is_valid():
        incident = get_incident_or_404(request.agent, form.cleaned_data["incident"])
        service.do_link(case, incident, request.agent, why="linked by hand")
        messages.success(request, _("The case is linked to the incident; it gets its updates."))
    else:
        messages.error(request, _("Please choose an active incident of this brand."))
    return redirect("desk:case", case_id=case.pk)


_ACTIVE = Prepared(
    lambda brand: (
        Incident.objects.filter(brand_id=brand, state=Incident.State.ACTIVE)
        .order_by("-starts_at")
        .values_list("pk", "title")
    )
)


def incident_choices(case: Case) -> list[tuple[int, str]]:
    return _ACTIVE(brand=case.brand_id)


@require_POST
@scope.agent_required
def proposal_decide(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """A supervisor accepts a detected burst (it becomes an incident with its cases linked) or dismisses it."""
    proposal = IncidentProposal.objects.filter(
        pk=proposal_id, brand_id__in=[pk for pk, _name in _managed_brands(request.agent)]
    ).first()
    if proposal is None or proposal.state != IncidentProposal.State.OPEN:
        raise Http404
    if request.POST.get("decision") != "accept":
        proposals.do_dismiss(proposal)
        return redirect("desk:incidents")
    title = " ".join(request.POST.get("title", "").split())[:200] or _("Disruption in %(area)s") % {
        "area": proposal.area or ", ".join(proposal.words[:2])
    }
    incident = proposals.do_accept(
        proposal, request.agent, title, " ".join(request.POST.get("text", "").split())[:4000]
    )
    messages.success(request, _("The incident is open and its cases are linked."))
    return redirect("desk:incident", incident_id=incident.pk)
