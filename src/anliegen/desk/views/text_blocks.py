"""Keeping a brand's text blocks in the desk: supervisors and admins list, add and change their brands' macros."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from anliegen.core import roles
from anliegen.workday import macros as service
from anliegen.workday.models import Macro

from .. import scope
from ..pages import render_page
from ..workday_forms import MacroForm


def _supervised(agent: object) -> list[tuple[int, str]]:
    return [(b.pk, b.name) for b in scope.brands(agent) if roles.has(agent, b.pk, roles.SUPERVISOR)]


@require_GET
@scope.agent_required
def macro_list(request: HttpRequest) -> HttpResponse:
    brands = _supervised(request.agent)
    if not brands:
        return scope.forbidden(request)
    rows = Macro.objects.filter(brand_id__in=[pk for pk, _name in brands]).select_related("brand")
    return render_page(request, "desk/macros/list.html", {"macros": rows.order_by("brand__name", "language", "name")})


@require_http_methods(["GET", "POST"])
@scope.agent_required
def macro_edit(request: HttpRequest, macro_id: int | None = None) -> HttpResponse:
    brands = _supervised(request.agent)
    macro = None
    if macro_id is not None:
        macro = Macro.objects.filter(pk=macro_id, brand_id__in=[pk for pk, _name in brands]).first()
        if macro is None:
            raise Http404  # another brand's, or one the agent does not supervise
    elif not brands:
        return scope.forbidden(request)
    form = MacroForm(brands, request.POST or None, instance=macro)
    if request.method == "POST" and form.is_valid():
        brand_id = macro.brand_id if macro else form.cleaned_data["brand"]
        data = {name: form.cleaned_data[name] for name in service.FIELDS}
        try:
            service.check_save_macro(request.agent, brand_id, data, macro=macro)
        except service.MacroError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Text block saved."))
            return redirect("desk:macros")
    status = 400 if form.errors else 200
    return render_page(request, "desk/macros/edit.html", {"form": form, "macro": macro}, status=status)
