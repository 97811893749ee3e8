"""The desk's export and erasure of a contact (buttons on the contact page); brand-scoped, role-checked."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anliegen.desk import scope

from . import erasure, export, roles


@require_POST
@scope.agent_required
def export_contact(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = scope.get_contact_or_404(request.agent, contact_id)  # another brand's contact: 404 before any role
    if not roles.may_export(request.agent, contact.brand_id):
        return render(request, "desk/forbidden.html", {"agent": request.agent}, status=403)
    data = export.export_contact(contact, request.agent, via="desk")
    response = HttpResponse(data, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="contact-{contact.pk}.zip"'
    return response


@require_POST
@scope.agent_required
def erase_contact(request: HttpRequest, contact_id: int) -> HttpResponse:
    contact = scope.get_contact_or_404(request.agent, contact_id)
    if not roles.may_erase(request.agent, contact.brand_id):
        return render(request, "desk/forbidden.html", {"agent": request.agent}, status=403)
    if request.POST.get("confirm") != "erase":
        messages.error(request, _("Tick the box to confirm the erasure."))
        return redirect("desk:contact", contact_id=contact.pk)
    done = erasure.erase_contact(contact, request.agent, via="desk")
    messages.success(
        request,
        _("Personal data erased: %(cases)d cases, %(messages)d messages, %(attachments)d attachments.")
        % {"cases": done.cases, "messages": done.messages, "attachments": done.attachments},
    )
    return redirect("desk:contact", contact_id=contact.pk)
