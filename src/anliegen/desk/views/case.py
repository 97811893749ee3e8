"""Reading a case: the page with header, timeline and composers; formatted bodies; attachments; the contact."""

from __future__ import annotations

import nh3
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from anliegen.audit import services as audit
from anliegen.base.prepared import Prepared
from anliegen.channels import registry
from anliegen.core.models import Case, Identity, Message
from anliegen.privacy import roles as privacy
from anliegen.sla import clocks as sla_clocks
from anliegen.sla import status as sla_status
from anliegen.workday import macros, tags

from .. import case_main, drafts, fragments, scope
from ..forms import NoteForm, ReassignForm, ReplyForm, StateForm
from ..pages import render_page
from ..timeline import rendered, timeline
from .incidents import incident_choices

# The case page's own reads, compiled once (base.prepared): Django's query building was a quarter of the page.
_IDENTITIES = Prepared(lambda contact: Identity.objects.filter(contact_id=contact).order_by("-verified", "kind", "id"))
_COLLEAGUES = Prepared(lambda brand, owner: scope.colleagues(Case(brand_id=brand, owner_id=owner)).only("pk", "name"))


def case_context(request: HttpRequest, case: Case, **forms: object) -> dict:
    """Everything the case page shows; forms passed in (with errors) replace the empty ones."""
    # One identities query serves the header and the reply form's channel choices and default address (which
    # read the contact's prefetched identities).
    identities = _IDENTITIES(contact=case.contact_id) if case.contact_id else []
    if case.contact_id:
        case.contact._prefetched_objects_cache = {"identities": identities}
    entries = timeline(case)
    # The clock's progress from the messages and events the timeline read: no query of its own for them.
    clock = sla_clocks.for_case(case, [e.message for e in entries if e.message], [e.event for e in entries if e.event])
    context = {
        "case": case,
        "identities": identities,
        "entries": rendered(entries),
        "reply_form": ReplyForm(case),
        "note_form": NoteForm(),
        "state_form": StateForm(initial={"state": case.state}),
        "reassign_form": ReassignForm(case),
        "incident_choices": [] if case.incident_id else incident_choices(case),
        "panel": registry.composer_panel(case),
        "sla": sla_status.case_status(clock, case.brand, case.state),
        "macros": macros.for_case(case),
        "case_tags": tags.of_case(case),
        "brand_tags": tags.brand_tags(case.brand_id),
    }
    context.update(forms)
    _read_choices_once(context["reassign_form"], case)
    return context


def _read_choices_once(form: ReassignForm, case: Case) -> None:
    # Rendering a select reads a model field's choices twice (the options, and the first one for `required`),
    # each a query; a list read once serves both and tells the template whether there is anyone to hand to.
    field = form.fields["new_owner"]
    # One plain query (the choices' own iterator opens a server-side cursor on PostgreSQL: three round trips).
    options = field.iterator(field)
    empty = [("", field.empty_label)] if field.empty_label is not None else []
    # The option shows the name (Agent.__str__) and the value is the key: no need for the agents' JSON columns.
    colleagues = _COLLEAGUES(brand=case.brand_id, owner=case.owner_id)
    field.widget.choices = empty + [options.choice(obj) for obj in colleagues]


def render_case(request: HttpRequest, case: Case, status: int = 200, **forms: object) -> HttpResponse:
    """The whole page, or for htmx only the part below the top bar that an action changes."""
    template = "desk/_case_main.html" if request.htmx else "desk/case.html"
    # What the agent typed here before (another case, a reload, another device) is back in the composers.
    kept = drafts.texts(request.agent, case)
    if "reply_form" not in forms and kept.get("reply"):
        forms["reply_form"] = ReplyForm(case, initial={"text": kept["reply"]})
    if "note_form" not in forms and kept.get("note"):
        forms["note_form"] = NoteForm(initial={"text": kept["note"]})
    context = case_context(request, case, **forms)
    main = case_main.cached_html(context)
    if main is None:
        page = render_page(request, template, context, status=status)
    elif request.htmx:
        page = HttpResponse(main, status=status)
    else:
        page = render_page(request, template, context | {"case_main": main}, status=status)
    return fragments.fill_csrf(request, page)


@require_GET
@scope.agent_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    case = scope.get_case_or_404(request.agent, case_id)
    if request.htmx and request.GET.get("part") == "timeline":
        # A live refresh replaces only the timeline, so a half-written reply is kept.
        part = render_page(request, "desk/_timeline.html", {"case": case, "entries": rendered(timeline(case))})
        return fragments.fill_csrf(request, part)
    # The page names the contact and their addresses: a view of personal data (fragments add none).
    if case.contact_id:
        audit.record_view(request.agent, case.contact, via="desk", case=case)
    return render_case(request, case)


@require_GET
@scope.agent_required
def message_html(request: HttpRequest, message_id: int) -> HttpResponse:
    """The formatted version of a message; sanitised when stored, and again here in case the rules grew."""
    message = scope.get_message_or_404(request.agent, message_id)
    if not message.body_html:
        raise Http404
    return HttpResponse(f'<div class="html-body">{nh3.clean(message.body_html)}</div>')


@require_GET
@scope.agent_required
def attachment(request: HttpRequest, attachment_id: int) -> FileResponse:
    """Attachments are only ever served here, after the brand check; MEDIA has no public URL."""
    record = scope.get_attachment_or_404(request.agent, attachment_id)
    try:
        handle = record.file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    # Always a download: a customer's HTML or SVG must never run in the desk's origin.
    return FileResponse(handle, as_attachment=True, filename=record.filename, content_type=record.content_type)


@require_GET
@scope.agent_required
def contact(request: HttpRequest, contact_id: int) -> HttpResponse:
    person = scope.get_contact_or_404(request.agent, contact_id)
    audit.record_view(request.agent, person, via="desk")
    identities = person.identities.order_by("-verified", "kind", "id")
    cases = scope.visible_cases(request.agent).filter(contact=person).order_by("-updated_at")[:100]
    context = {"contact": person, "identities": identities, "cases": cases}
    context |= {"may_export": privacy.may_export(request.agent, person.brand_id)}
    context |= {"may_erase": privacy.may_erase(request.agent, person.brand_id)}
    return render_page(request, "desk/contact.html", context)


def message_case(message: Message) -> Case:
    """The case of a message, as the scoped case query loads it (owner, brand, contact)."""
    return Case.objects.select_related("brand", "owner", "contact", "incident").get(pk=message.case_id)
