"""Bulk actions from a case list: the selection, the action and its target go to one service."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from anliegen.workday import bulk as service

from .. import scope
from ..workday_forms import BulkForm


def _back(request: HttpRequest) -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("desk:queue")


@require_POST
@scope.agent_required
def bulk_action(request: HttpRequest) -> HttpResponse:
    form = BulkForm(request.agent, request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an action and what it applies."))
        return _back(request)
    try:
        result = service.check_apply(request.agent, form.cleaned_data["action"], form.case_ids(), form.target())
    except service.BulkError as exc:
        messages.error(request, str(exc))
        return _back(request)
    done = len(result.done)
    messages.success(request, ngettext("%(count)d case changed.", "%(count)d cases changed.", done) % {"count": done})
    if result.skipped:
        skipped = len(result.skipped)
        why = "; ".join(sorted(set(result.skipped.values())))
        text = ngettext("%(count)d case left as it was: %(why)s", "%(count)d cases left as they were: %(why)s", skipped)
        messages.warning(request, text % {"count": skipped, "why": why})
    return _back(request)
