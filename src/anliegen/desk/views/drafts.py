"""Saving a composer's draft while the agent types (the browser calls this debounced and when leaving the page)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from .. import drafts, scope
from ..models import Draft


class DraftForm(forms.Form):
    kind = forms.ChoiceField(choices=Draft.Kind.choices)
    text = forms.CharField(required=False, strip=False, max_length=drafts.MAX_LENGTH)


@require_POST
@scope.agent_required
def save_draft(request: HttpRequest, case_id: int) -> HttpResponse:
    case = scope.get_case_or_404(request.agent, case_id)
    form = DraftForm(request.POST)
    if not form.is_valid():
        return HttpResponse(status=400)
    drafts.do_save(request.agent, case, form.cleaned_data["kind"], form.cleaned_data["text"])
    return HttpResponse(status=204)
