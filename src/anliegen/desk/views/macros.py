"""The case page's text blocks and tags: apply a macro into the reply composer, add or remove a tag."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from anliegen.workday import macros, tags
from anliegen.workday.models import Macro

from .. import scope
from ..forms import ReplyForm
from .case import render_case


@require_POST
@scope.agent_required
def apply_macro(request: HttpRequest, case_id: int) -> HttpResponse:
    """Carry out the macro's actions and put its text into the reply, after what the agent had written."""
    case = scope.get_case_or_404(request.agent, case_id)
    try:
        macro_id = int(request.POST.get("macro", ""))
    except ValueError as exc:
        raise Http404 from exc
    macro = Macro.objects.filter(pk=macro_id, brand_id=case.brand_id, active=True).first()
    if macro is None:
        raise Http404  # another brand's macro is not there, as far as this case is concerned
    try:
        applied = macros.check_apply(case, request.agent, macro)
    except macros.MacroError as exc:
        return render_case(request, case, status=422, macro_error=str(exc))
    draft = request.POST.get("text", "").rstrip()
    text = f"{draft}\n\n{applied.text}" if draft else applied.text
    reply_form = ReplyForm(case, initial={"text": text})
    return render_case(request, case, reply_form=reply_form, macro_done=applied.changed, macro_applied=macro.name)


@require_POST
@scope.agent_required
def case_tags(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add a tag by name (the brand's tag, made on first use) or remove one by id."""
    case = scope.get_case_or_404(request.agent, case_id)
    error = ""
    if remove := request.POST.get("remove", ""):
        if remove.isdigit():
            tags.do_remove_tag(case, request.agent, int(remove))
    else:
        try:
            tags.check_add_tag(case, request.agent, request.POST.get("tag", ""))
        except tags.TagError as exc:
            error = str(exc)
    if request.htmx:
        return render_case(request, case, status=422 if error else 200, tag_error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Tags saved."))
    return redirect("desk:case", case_id=case.pk)
