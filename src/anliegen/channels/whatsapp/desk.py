"""WhatsApp in the case page: whether the 24 hours are open, and the templates to send once they are not."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anliegen.core.models import Case
from anliegen.core.services import contacts
from anliegen.core.services.cases import CaseError
from anliegen.desk import scope

from . import templates, window
from .models import Template


def composer(case: Case) -> dict | None:
    """The panel above the reply form (the registry's `composer`): open until when, or which templates."""
    identity = contacts.primary(case.contact, "whatsapp")
    if identity is None:
        return None
    until = window.open_until(case.brand_id, identity.value)
    offered = [(t, templates.suggested(case, t)) for t in templates.offered(case)]
    return {
        "template": "whatsapp/composer.html",
        "number": identity.value,
        "open": window.is_open(case.brand_id, identity.value),
        "until": until,
        "offered": offered,
    }


@require_POST
@scope.agent_required
def send_template(request: HttpRequest, case_id: int) -> HttpResponse:
    case = scope.get_case_or_404(request.agent, case_id)
    template = Template.objects.filter(pk=request.POST.get("template") or 0, brand_id=case.brand_id).first()
    if template is None:
        raise Http404
    values = request.POST.getlist("parameter")
    try:
        templates.send_template(case, request.agent, template, values)
    except CaseError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The template %(name)s is on its way.") % {"name": template.name})
    return redirect("desk:case", case_id=case.pk)
