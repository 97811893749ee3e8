"""Acting on a case: reply, internal note, state, handover, send again; each parses a form and calls one service."""

from __future__ import annotations

from django.contrib import messages
from django.forms import Form
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anliegen.core.models import Case
from anliegen.core.services import case_updates
from anliegen.core.services.cases import CaseError

from .. import drafts, scope
from ..forms import NoteForm, ReassignForm, ReplyForm, StateForm
from ..models import Draft
from .case import message_case, render_case


def _done(request: HttpRequest, case: Case, text: str) -> HttpResponse:
    if request.htmx:
        return render_case(request, case)
    messages.success(request, text)
    return redirect("desk:case", case_id=case.pk)


def _invalid(request: HttpRequest, case: Case, form_name: str, form: Form) -> HttpResponse:
    # 422 with the form and its errors; desk.js lets htmx swap it in like a success.
    return render_case(request, case, status=422, **{form_name: form})


@require_POST
@scope.agent_required
def reply(request: HttpRequest, case_id: int) -> HttpResponse:
    case = scope.get_case_or_404(request.agent, case_id)
    form = ReplyForm(case, request.POST, request.FILES)
    if not form.is_valid():
        return _invalid(request, case, "reply_form", form)
    data = form.cleaned_data
    try:
        case_updates.reply(
            case, request.agent, data["text"], data["channel"], data["next_state"], attachments=form.attachments()
        )
    except CaseError as exc:
        form.add_error(None, str(exc))
        return _invalid(request, case, "reply_form", form)
    drafts.do_discard(request.agent, case, Draft.Kind.REPLY)  # sent: nothing to come back to
    return _done(request, case, _("Your reply is on its way."))


@require_POST
@scope.agent_required
def note(request: HttpRequest, case_id: int) -> HttpResponse:
    case = scope.get_case_or_404(request.agent, case_id)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, "note_form", form)
    case_updates.note(case, request.agent, form.cleaned_data["text"])
    drafts.do_discard(request.agent, case, Draft.Kind.NOTE)
    return _done(request, case, _("Note added."))


@require_POST
@scope.agent_required
def change_state(request: HttpRequest, case_id: int) -> HttpResponse:
    case = scope.get_case_or_404(request.agent, case_id)
    form = StateForm(request.POST)
    if not form.is_valid():
        return _invalid(request, case, "state_form", form)
    try:
        case_updates.change_state(case, request.agent, form.cleaned_data["state"])
    except CaseError as exc:
        form.add_error(None, str(exc))
        return _invalid(request, case, "state_form", form)
    return _done(request, case, _("State changed."))


@require_POST
@scope.agent_required
def reassign(request: HttpRequest, case_id: int) -> HttpResponse:
    case = scope.get_case_or_404(request.agent, case_id)
    form = ReassignForm(case, request.POST)
    if not form.is_valid():
        return _invalid(request, case, "reassign_form", form)
    try:
        case_updates.reassign(case, request.agent, form.cleaned_data["new_owner"], form.cleaned_data["note"])
    except CaseError as exc:
        form.add_error(None, str(exc))
        return _invalid(request, case, "reassign_form", form)
    return _done(request, case, _("Case handed over; the customer is told the new name."))


@require_POST
@scope.agent_required
def retry(request: HttpRequest, message_id: int) -> HttpResponse:
    message = scope.get_message_or_404(request.agent, message_id)
    case = message_case(message)
    try:
        case_updates.retry(message)
    except CaseError as exc:
        if request.htmx:
            return render_case(request, case, status=422, retry_error=str(exc))
        messages.error(request, str(exc))
        return redirect("desk:case", case_id=case.pk)
    return _done(request, case, _("The message is queued again."))
