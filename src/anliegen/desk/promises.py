"""Desk panels for promises, escalations, identity verification and case merges, plus the ledger pages."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from anliegen.core.header_safe import one_line
from anliegen.core.models import Agent, Case, Escalation, Identity, MergeProposal
from anliegen.core.services import authority, escalation, merge, verification
from anliegen.promises import rates, services
from anliegen.promises.checks import overdue
from anliegen.promises.models import Promise
from anliegen.routing import absence

from . import scope
from .pages import render_page
from .promises_forms import CodeForm, EscalateForm, MergeCaseForm, PromiseForm, ReasonForm, ResolveForm, SplitCaseForm

RULE_ERRORS = (
    services.PromiseError,
    escalation.EscalationError,
    merge.MergeError,
    verification.VerificationError,
    absence.AbsenceError,
)


def _panels(request: HttpRequest, case: Case, status: int = 200, **extra: object) -> HttpResponse:
    agent = request.agent
    messages = list(case.messages.order_by("created_at", "id").values_list("pk", "direction", "channel", "created_at"))
    choices = [(pk, f"#{pk} {d} {c} {t:%d.%m. %H:%M}") for pk, d, c, t in messages]
    context = {
        "case": case,
        "agent": agent,
        "acting": authority.acting_agent(case),
        "promises": _with_amounts(case.promises.select_related("owner").order_by("state", "due_at")),
        "escalations": case.escalations.select_related("from_agent", "to_agent"),
        "identities": case.contact.identities.order_by("-verified", "kind", "pk"),
        "may_decide_credit": authority.money((agent.authority or {}).get("credit_max_cents") or 0),
        "promise_form": extra.pop("promise_form", None) or PromiseForm(),
        "escalate_form": extra.pop("escalate_form", None) or EscalateForm(),
        "split_form": SplitCaseForm(message_choices=choices),
        "merge_form": MergeCaseForm(),
        **extra,
    }
    return render(request, "desk/promises/case_panels.html", context, status=status)


def _with_amounts(promises: object) -> list[Promise]:
    listed = list(promises)
    for promise in listed:
        promise.amount_text = authority.money(promise.amount_cents, promise.currency) if promise.amount_cents else ""
    return listed


@require_GET
@scope.agent_required
def case_panels(request: HttpRequest, case_id: int) -> HttpResponse:
    return _panels(request, scope.get_case_or_404(request.agent, case_id))


@require_POST
@scope.agent_required
def promise_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = scope.get_case_or_404(request.agent, case_id)
    form = PromiseForm(request.POST)
    if not form.is_valid():
        return _panels(request, case, 400, promise_form=form)
    data = services.PromiseInput(
        kind=form.cleaned_data["kind"],
        due_at=form.cleaned_data["due_at"],
        amount_cents=form.amount_cents(),
        text=form.cleaned_data["text"],
        window_end=form.cleaned_data["window_end"],
    )
    try:
        services.check_create_promise(case, request.agent, data, owner=case.owner)
    except services.PromiseError as exc:
        return _panels(request, case, 400, promise_form=form, error=str(exc))
    return _panels(request, case)


@require_POST
@scope.agent_required
def promise_action(request: HttpRequest, promise_id: int, action: str) -> HttpResponse:
    promise = Promise.objects.filter(pk=promise_id, brand_id__in=scope.brand_ids(request.agent)).first()
    if promise is None or action not in ("keep", "break", "cancel"):
        raise Http404
    case = scope.get_case_or_404(request.agent, promise.case_id)
    form = ReasonForm(request.POST)
    text = form.cleaned_data["text"] if form.is_valid() else ""
    act = {"keep": services.do_keep, "break": services.do_break, "cancel": services.do_cancel}[action]
    try:
        act(promise, request.agent, text)
    except services.PromiseError as exc:
        return _panels(request, case, 400, error=str(exc))
    return _panels(request, case)


@require_POST
@scope.agent_required
def escalate(request: HttpRequest, case_id: int) -> HttpResponse:
    case = scope.get_case_or_404(request.agent, case_id)
    form = EscalateForm(request.POST)
    if not form.is_valid():
        return _panels(request, case, 400, escalate_form=form)
    try:
        escalation.check_escalate(case, request.agent, form.needs(), form.cleaned_data["note"])
    except escalation.EscalationError as exc:
        return _panels(request, case, 400, escalate_form=form, error=str(exc))
    return _panels(request, case)


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
    return _panels(request, scope.get_case_or_404(request.agent, found.case_id), 400 if error else 200, error=error)


def _identity(request: HttpRequest, identity_id: int) -> Identity:
    identity = Identity.objects.filter(pk=identity_id, brand_id__in=scope.brand_ids(request.agent)).first()
    if identity is None:
        raise Http404
    return identity


@require_POST
@scope.agent_required
def identity_code(request: HttpRequest, case_id: int, identity_id: int, step: str) -> HttpResponse:
    """step "send": a code to a verified identity; step "check": the code the customer read out."""
    case = scope.get_case_or_404(request.agent, case_id)
    identity = _identity(request, identity_id)
    if identity.contact_id != case.contact_id or step not in ("send", "check"):
        raise Http404
    try:
        if step == "send":
            verification.check_send_code(identity, case=case, actor=request.agent)
            return _panels(request, case, notice="code_sent", code_for=identity.pk)
        form = CodeForm(request.POST)
        verification.check_code(identity, form.data.get("code", ""), actor=request.agent, case=case)
    except verification.VerificationError as exc:
        return _panels(request, case, 400, error=str(exc), code_for=identity.pk)
    return _panels(request, case)


@require_POST
@scope.agent_required
def case_merge(request: HttpRequest, case_id: int) -> HttpResponse:
    case = scope.get_case_or_404(request.agent, case_id)
    form = MergeCaseForm(request.POST)
    if not form.is_valid():
        return _panels(request, case, 400, error=form.errors.as_text())
    target = scope.visible_cases(request.agent).filter(pk=form.cleaned_data["other"]).first()
    if target is None:
        return _panels(request, case, 400, error=_no_case())
    try:
        merge.check_merge_cases(target, case, request.agent)
    except merge.MergeError as exc:
        return _panels(request, case, 400, error=str(exc))
    return _go_to(request, target)


@require_POST
@scope.agent_required
def case_split(request: HttpRequest, case_id: int) -> HttpResponse:
    case = scope.get_case_or_404(request.agent, case_id)
    ids = [int(x) for x in request.POST.getlist("messages") if x.isdigit()]
    try:
        new = merge.check_split_case(case, ids, request.agent, one_line(request.POST.get("subject", ""))[:250])
    except merge.MergeError as exc:
        return _panels(request, case, 400, error=str(exc))
    return _go_to(request, new)


def _go_to(request: HttpRequest, case: Case) -> HttpResponse:
    from django.urls import reverse

    url = reverse("desk:case", args=[case.pk])
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _no_case() -> str:
    from django.utils.translation import gettext as _

    return _("no such case in your brands")


# --- pages -----------------------------------------------------------------------------------------


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


@scope.agent_required
def proposals(request: HttpRequest) -> HttpResponse:
    """Contacts that may be one person; an agent merges or dismisses."""
    agent, error = request.agent, ""
    if request.method == "POST":
        found = MergeProposal.objects.filter(pk=request.POST.get("proposal", 0) or 0).filter(
            brand_id__in=scope.brand_ids(agent), state=MergeProposal.State.OPEN
        )
        proposal = found.select_related("contact", "other").first()
        if proposal is None:
            raise Http404
        try:
            if request.POST.get("decision") == "merge":
                merge.check_merge_contacts(proposal.contact, proposal.other, agent)
            else:
                merge.check_dismiss_proposal(proposal, agent)
        except merge.MergeError as exc:
            error = str(exc)
    listed = (
        MergeProposal.objects.filter(brand_id__in=scope.brand_ids(agent), state=MergeProposal.State.OPEN)
        .select_related("contact", "other", "brand")
        .prefetch_related("contact__identities", "other__identities")
        .filter(Q(contact__merged_into__isnull=True) & Q(other__merged_into__isnull=True))
    )
    return render_page(request, "desk/promises/proposals.html", {"proposals": listed[:200], "error": error})
