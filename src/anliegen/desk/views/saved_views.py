"""Saved views: the navigation's list with counts, a view's cases, saving a filter, changing and removing a view."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anliegen.workday import saved_views as service
from anliegen.workday.models import Tag

from .. import scope
from ..pages import keyset, render_page
from ..workday_forms import BulkForm, SavedViewForm
from .inbox import _list_response


@require_GET
@scope.agent_required
def view_counts(request: HttpRequest) -> HttpResponse:
    """The views of the navigation and their counts: one aggregate query, asked for after the page loaded."""
    return render_page(request, "desk/views/_nav.html", {"views": service.with_counts(request.agent)})


@require_GET
@scope.agent_required
def view_cases(request: HttpRequest, view_id: int) -> HttpResponse:
    view = service.get_visible(request.agent, view_id)
    if view is None:
        raise Http404
    cases = service.cases_of(view).values(*scope.LIST_COLUMNS)
    page = keyset(cases, request.GET.get("after"))
    context = {"page": page, "view": view, "list_title": "view", "bulk_form": BulkForm(request.agent)}
    context["may_change"] = service.may_change(request.agent, view)
    return _list_response(request, "desk/views/cases.html", context)


@require_http_methods(["GET", "POST"])
@scope.agent_required
def view_new(request: HttpRequest) -> HttpResponse:
    """Save a filter as a named view; the form starts from the filter in the address (the queue's "save as view")."""
    form = SavedViewForm(request.agent, request.POST or None, initial=_initial(request))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            view = service.check_save_view(request.agent, data["brand"], data["name"], form.filters(), data["shared"])
        except service.ViewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("View saved."))
            return redirect("desk:view", view_id=view.pk)
    return render_page(request, "desk/views/form.html", {"form": form}, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@scope.agent_required
def view_edit(request: HttpRequest, view_id: int) -> HttpResponse:
    """Change a view's name, filter and sharing (its owner, or a supervisor for a shared one); never its brand."""
    view = service.get_visible(request.agent, view_id)
    if view is None:
        raise Http404
    if not service.may_change(request.agent, view):
        raise PermissionDenied
    initial = {**view.filters, "name": view.name, "brand": view.brand_id, "shared": view.shared}
    form = SavedViewForm(request.agent, request.POST or None, initial=initial)
    form.fields["brand"].disabled = True  # the posted brand is ignored: the view stays in its own
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            service.check_edit_view(request.agent, view, data["name"], form.filters(), data["shared"])
        except service.ViewError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("View saved."))
            return redirect("desk:view", view_id=view.pk)
    context = {"form": form, "view": view}
    return render_page(request, "desk/views/form.html", context, status=400 if form.errors else 200)


def _initial(request: HttpRequest) -> dict:
    # The queue filters by tag name (across brands); a view holds one brand's tag.
    initial = request.GET.dict()
    name = initial.get("tag", "")
    if name and not name.isdigit():
        tag = Tag.objects.filter(brand_id__in=scope.brand_ids(request.agent), name=name).order_by("brand_id").first()
        initial["tag"] = tag.pk if tag else ""
        if tag and not initial.get("brand"):
            initial["brand"] = tag.brand_id
    return initial


@require_POST
@scope.agent_required
def view_delete(request: HttpRequest, view_id: int) -> HttpResponse:
    view = service.get_visible(request.agent, view_id)
    if view is None:
        raise Http404
    try:
        service.check_delete_view(request.agent, view)
    except service.ViewError as exc:
        messages.error(request, str(exc))
        return redirect("desk:view", view_id=view.pk)
    messages.success(request, _("View removed."))
    return redirect("desk:inbox")
