"""The audit log in the desk: /desk/audit/, for the admins of a brand (and staff), only their brands' entries."""

from __future__ import annotations

from datetime import datetime, time

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from anliegen.core import roles
from anliegen.core.models import Agent, Brand
from anliegen.desk import scope
from anliegen.desk.pages import keyset, render_page

from .models import Action, AuditEntry


def admin_brand_ids(agent: Agent) -> list[int]:
    return roles.brand_ids(agent, roles.ADMIN)


class AuditFilter(forms.Form):
    brand = forms.TypedChoiceField(label=_("Brand"), required=False, coerce=int, empty_value=None)
    actor = forms.CharField(label=_("Who"), required=False, max_length=160)
    # desk, api:<integration>, system (the customer's message or call, the retention worker)
    via = forms.CharField(label=_("Via"), required=False, max_length=40)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", "—"), *Action.choices])
    object_type = forms.CharField(label=_("Object"), required=False, max_length=40)
    object_id = forms.CharField(label=_("Object id"), required=False, max_length=64)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, data: object, brands: list[Brand]) -> None:
        super().__init__(data)
        self.fields["brand"].choices = [("", _("all my brands"))] + [(b.pk, b.name) for b in brands]


def entries(brand_ids: list[int], data: dict) -> object:
    """The entries matching a filter's cleaned data, within `brand_ids` (a foreign brand id matches nothing)."""
    wanted = [data["brand"]] if data.get("brand") else brand_ids
    qs = AuditEntry.objects.filter(brand_id__in=[pk for pk in wanted if pk in brand_ids])
    if data.get("actor"):
        qs = qs.filter(actor_name__icontains=data["actor"])
    if data.get("via"):
        qs = qs.filter(via__istartswith=data["via"])
    for field in ("action", "object_type", "object_id"):
        if data.get(field):
            qs = qs.filter(**{field: data[field]})
    zone = timezone.get_current_timezone()
    if data.get("since"):
        qs = qs.filter(at__gte=datetime.combine(data["since"], time.min, zone))
    if data.get("until"):
        qs = qs.filter(at__lte=datetime.combine(data["until"], time.max, zone))
    return qs


@require_GET
@scope.agent_required
def audit_log(request: HttpRequest) -> HttpResponse:
    ids = admin_brand_ids(request.agent)
    if not ids:
        return render(request, "desk/forbidden.html", {"agent": request.agent}, status=403)
    brands = list(Brand.objects.filter(pk__in=ids).order_by("name"))
    form = AuditFilter(request.GET, brands)
    data = form.cleaned_data if form.is_valid() else {}
    page = keyset(entries(ids, data), request.GET.get("after"), field="at")
    query = request.GET.copy()
    query.pop("after", None)
    return render_page(request, "audit/log.html", {"form": form, "page": page, "query": query.urlencode()})
