"""The case's side panels: promises, identities and their verification, merging and splitting the case."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from anliegen.core.header_safe import one_line
from anliegen.core.models import Case, Identity
from anliegen.core.services import authority, merge, verification
from anliegen.promises import services
from anliegen.promises.models import Promise

from .. import scope
from ..promises_forms import CodeForm, EscalateForm, MergeCaseForm, PromiseForm, ReasonForm, SplitCaseForm


def render_panels(request: HttpRequest, case: Case, status: int = 200, **extra: object) -> HttpResponse:
    """The panels beside the case, with an error or notice of the action just taken (`extra`)."""
    agent = request.agent
    messages = list(case.messages.order_by("created_at", "id").values_list("pk", "direction", "channel", "created_at"))
    choices = [(pk, f"#{pk} {d} {c} {t:%d.%m. %H:%M}") for pk, d, c, t in messages]
    context = {
        "case": case,
        "agent": agent,
        "acting": authority.acting_agent(case),
        "promises": with_amounts(case.promises.select_related("owner").order_by("state", "due_at")),
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


def with_amounts(promises: object) -> list[Promise]:
    listed = list(promises)
    for promise in listed:
        promise.amount_text = authority.money(promise.amount_cents, promise.currency) if promise.amount_cents else ""
    return listed


@require_GET
@scope.agent_required
def case_panels(request: HttpRequest, case_id: int) -> HttpResponse:
    return render_panels(request, scope.get_case_or_404(request.agent, case_id))


@require_POST
@scope.agent_required
def promise_create(request: HttpRequest, case_id: int) -> HttpResponse:
    case = scope.get_case_or_404(request.agent, case_id)
    form = PromiseForm(request.POST)
    if not form.is_valid():
        return render_panels(request, case, 400, promise_form=form)
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
        return render_panels(request, case, 400, promise_form=form, error=str(exc))
    return render_panels(request, case)


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
        return render_panels(request, case, 400, error=str(exc))
    return render_panels(request, case)


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
            return render_panels(request, case, notice="code_sent", code_for=identity.pk)
        form = CodeForm(request.POST)
        verification.check_code(identity, form.data.get("code", ""), actor=request.agent, case=case)
    except verification.VerificationError as exc:
        return render_panels(request, case, 400, error=str(exc), code_for=identity.pk)
    return render_panels(request, case)


@require_POST
@scope.agent_required
def case_merge(request: HttpRequest, case_id: int) -> HttpResponse:
    case = scope.get_case_or_404(request.agent, case_id)
    form = MergeCaseForm(request.POST)
    if not form.is_valid():
        return render_panels(request, case, 400, error=form.errors.as_text())
    target = scope.visible_cases(request.agent).filter(pk=form.cleaned_data["other"]).first()
    if target is None:
        return render_panels(request, case, 400, error=_no_case())
    try:
        merge.check_merge_cases(target, case, request.agent)
    except merge.MergeError as exc:
        return render_panels(request, case, 400, error=str(exc))
    return _go_to(request, target)


@require_POST
@scope.agent_required
def case_split(request: HttpRequest, case_id: int) -> HttpResponse:
    case = scope.get_case_or_404(request.agent, case_id)
    ids = [int(x) for x in request.POST.getlist("messages") if x.isdigit()]
    try:
        new = merge.check_split_case(case, ids, request.agent, one_line(request.POST.get("subject", ""))[:250])
    except merge.MergeError as exc:
        return render_panels(request, case, 400, error=str(exc))
    return _go_to(request, new)


def _go_to(request: HttpRequest, case: Case) -> HttpResponse:
    url = reverse("desk:case", args=[case.pk])
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return redirect(url)


def _no_case() -> str:
    return _("no such case in your brands")
