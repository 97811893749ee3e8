"""Escalations: asking a colleague with the authority a case needs, their answer, and the list of open ones."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_POST

from anliegen.core.models import Escalation
from anliegen.core.services import authority, escalation

from .. import scope
from ..pages import render_page
from ..promises_forms import EscalateForm, ResolveForm
from .panels import render_panels


@require_POST
@scope.agent_required
def escalate(request: HttpRequest, case_id: int) -> HttpResponse:
    case = scope.get_case_or_404(request.agent, case_id)
    form = EscalateForm(request.POST)
    if not form.is_valid():
        return render_panels(request, case, 400, escalate_form=form)
    try:
        escalation.check_escalate(case, request.agent, form.needs(), form.cleaned_data["note"])
    except escalation.EscalationError as exc:
        return render_panels(request, case, 400, escalate_form=form, error=str(exc))
    return render_panels(request, case)


@require_POST
@scope.agent_required
def escalation_resolve(request: HttpRequest, escalation_id: int) -> HttpResponse:
    found = Escalation.objects.filter(pk=escalation_id, brand_id__in=scope.brand_ids(request.agent)).first()
    if found is None:
        raise Http404
    form = ResolveForm(request.POST)
    error = ""
    try:
        if not form.is_valid():
            raise escalation.EscalationError(form.errors.as_text())
        escalation.check_resolve(found, request.agent, form.cleaned_data["resolution"])
    except escalation.EscalationError as exc:
        error = str(exc)
    if request.POST.get("from") == "list":
        return _escalation_list(request, error)
    return render_panels(
        request, scope.get_case_or_404(request.agent, found.case_id), 400 if error else 200, error=error
    )


def _escalation_list(request: HttpRequest, error: str = "") -> HttpResponse:
    agent = request.agent
    listed = escalation.open_for(agent)
    for item in listed:
        item.need_text = authority.describe(item.need)
    context = {"escalations": listed, "error": error, "resolve_form": ResolveForm()}
    return render_page(request, "desk/promises/escalations.html", context, status=400 if error else 200)


@require_GET
@scope.agent_required
def escalations(request: HttpRequest) -> HttpResponse:
    """Open escalations: those asked of me, and as supervisor all of my brands."""
    return _escalation_list(request)
