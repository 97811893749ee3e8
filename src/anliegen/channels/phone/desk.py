"""The phone in the desk: the screen pop of a ringing call, the phone board (presence, due callbacks, waits)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import BadRequest
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anliegen.core.models import Agent, MessageKind
from anliegen.desk import scope
from anliegen.desk.pages import render_page
from anliegen.promises.models import Promise

from . import callbacks, presence, summary, waits
from .models import Call, PhoneState


@require_GET
@scope.agent_required
def pop(request: HttpRequest, call_id: int) -> HttpResponse:
    """Who is calling and about what: the caller, their open case, its open promises and last messages."""
    call = (
        Call.objects.select_related("message__case__owner", "message__case__contact")
        .filter(pk=call_id, brand_id__in=scope.brand_ids(request.agent))
        .first()
    )
    if call is None or call.message is None:
        raise Http404
    case = call.message.case
    last = case.messages.exclude(kind=MessageKind.CONFIRMATION).order_by("-created_at", "-id")[:3]
    context = {
        "call": call,
        "case": case,
        "contact": case.contact,
        "unknown": not case.contact.name and case.messages.count() == 1,
        "promises": case.promises.filter(state=Promise.State.OPEN).order_by("due_at")[:5],
        "last_messages": list(last),
    }
    return render_page(request, "phone/pop.html", context)


@require_GET
@scope.agent_required
def board(request: HttpRequest) -> HttpResponse:
    agent = request.agent
    brand_ids = scope.brand_ids(agent)
    team = list(Agent.objects.filter(memberships__brand_id__in=brand_ids).distinct().order_by("name"))
    states = presence.states([a.pk for a in team])
    callbacks = (
        Promise.objects.filter(brand_id__in=brand_ids, kind=Promise.Kind.CALLBACK, state=Promise.State.OPEN)
        .select_related("case__contact", "owner")
        .order_by("due_at")[:100]
    )
    rows = [(p, _callback_number(p)) for p in callbacks]
    context = {
        "team": [(a, states[a.pk], PhoneState(states[a.pk]).label) for a in team],
        "mine": PhoneState(states.get(agent.pk, PhoneState.AVAILABLE)).label,
        "toggle_states": [(s, PhoneState(s).label) for s in presence.TOGGLE_STATES],
        "callbacks": rows,
        "waits": [(b, waits.for_brand(b)) for b in scope.brands(agent)],
        # The agent's own recent calls: the note and the summary are written right after the call.
        "my_calls": Call.objects.filter(agent=agent, brand_id__in=brand_ids, message__isnull=False)
        .select_related("message__case")
        .order_by("-started_at", "-id")[:10],
    }
    return render_page(request, "phone/board.html", context)


def _callback_number(promise: Promise) -> str:
    identity = promise.case.contact.identities.filter(kind="phone").order_by("-verified", "id").first()
    return identity.value if identity else ""


@require_POST
@scope.agent_required
def dial(request: HttpRequest, promise_id: int) -> HttpResponse:
    """Click-to-call a due callback: the PBX rings the agent's extension, then the customer."""
    promise = Promise.objects.filter(
        pk=promise_id, brand_id__in=scope.brand_ids(request.agent), kind=Promise.Kind.CALLBACK
    ).first()
    if promise is None:
        raise Http404
    try:
        callbacks.check_dial(promise, request.agent)
    except callbacks.CallbackError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Your phone rings first, then the customer's."))
    return redirect("desk:phone_board")


def _own_call(request: HttpRequest, call_id: int) -> Call:
    call = (
        Call.objects.select_related("message__case__brand", "agent")
        .filter(pk=call_id, brand_id__in=scope.brand_ids(request.agent))
        .first()
    )
    if call is None:
        raise Http404
    return call


@require_POST
@scope.agent_required
def note(request: HttpRequest, call_id: int) -> HttpResponse:
    """Save the call note; with `send`, also send the customer the written summary (one click)."""
    call = _own_call(request, call_id)
    try:
        call = summary.check_note(call, request.agent, request.POST.get("note", ""))
        if request.POST.get("send") or request.POST.get("via"):
            summary.check_send_summary(call, request.agent, request.POST.get("via", ""))
            messages.success(request, _("The customer gets the summary in writing."))
    except summary.SummaryError as exc:
        messages.error(request, str(exc))
    return redirect("desk:phone_board")


@require_POST
@scope.agent_required
def send_summary(request: HttpRequest, call_id: int) -> HttpResponse:
    call = _own_call(request, call_id)
    try:
        summary.check_send_summary(call, request.agent, request.POST.get("via", ""))
        messages.success(request, _("The customer gets the summary in writing."))
    except summary.SummaryError as exc:
        messages.error(request, str(exc))
    return redirect("desk:phone_board")


@require_POST
@scope.agent_required
def toggle(request: HttpRequest) -> HttpResponse:
    try:
        presence.check_toggle(request.agent, request.POST.get("state", ""))
    except ValueError as exc:
        raise BadRequest(str(exc)) from exc
    if request.htmx:
        return HttpResponse(status=204)
    return redirect("desk:phone_board")
