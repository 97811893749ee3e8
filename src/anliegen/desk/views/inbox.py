"""The lists: my cases, and the team queue of my brands; htmx asks for the list alone when something changes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.core.exceptions import BadRequest
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.template.loader import get_template
from django.utils import formats, timezone, translation
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from anliegen.base.prepared import Prepared
from anliegen.core.models import Brand, CaseState, Team
from anliegen.core.models.case import OPEN_STATES
from anliegen.sla import status as sla_status
from anliegen.workday import tags

from .. import scope
from ..forms import QueueFilterForm
from ..pages import Page, case_url_prefix, keyset, look_key, newest_first, page_of, render_page, shown_time
from ..scope import listed_in
from ..workday_forms import BulkForm

DONE_STATES = (CaseState.SOLVED, CaseState.CLOSED)


@dataclass(slots=True)
class Row:
    """One line of a case list, formatted here: the template only prints attributes (cheap for 50 rows)."""

    pk: str  # a string: an int would go through number localisation in the template, per row
    url: str
    subject: str
    contact_name: str
    address: str
    owner: str
    brand: str
    state: str
    state_label: str
    updated: tuple[str, str]  # (ISO, as shown)
    due: tuple[str, str] | None
    overdue: bool
    sla: tuple[str, str, str, str] | None  # (state, stage, state as shown, time left)
    tags: tuple[str, ...] = ()


# Django date-format letters that strftime spells the same way for every language; others go through Django.
def _rows(page: Page) -> Page:
    """The page's dicts as rendered rows: one query for the contacts' first addresses, one cache read.

    A row is rendered once and then taken from the cache, keyed by everything it shows (and the language and
    time zone it shows it in): an edit anywhere changes the key, so a cached row is never out of date.
    """
    addresses = scope.first_identities({item["contact_id"] for item in page.items})
    tag_names = tags.tags_of({item["pk"] for item in page.items})
    now = timezone.now()
    shown_in = (translation.get_language(), timezone.get_current_timezone_name())
    clocks = {item["pk"]: _clock(item) for item in page.items}
    # A brand's hours and holidays count only for a row with a service-level clock to show.
    brands = Brand.objects.in_bulk({item["brand_id"] for item in page.items if clocks[item["pk"]]})
    keyed = {}
    for item in page.items:
        address = addresses.get(item["contact_id"], "")
        overdue = bool(item["state"] == CaseState.OPEN and item["answer_due_at"] and item["answer_due_at"] < now)
        clock = clocks[item["pk"]]
        sla = _sla(item, clock, brands[item["brand_id"]], now) if clock else None
        row_tags = tuple(tag_names.get(item["pk"], ()))
        shown = (*(item[name] for name in ROW_FIELDS), address, overdue, sla, row_tags, shown_in)
        key = look_key("desk-row:2", shown)  # 2: rows carry tags and a selection box
        keyed[key] = (item, address, overdue, sla, row_tags)
    cached = cache.get_many(list(keyed))
    fresh = {key: _render_row(*made) for key, made in keyed.items() if key not in cached}
    if fresh:
        cache.set_many(fresh, ROW_CACHE_SECONDS)
    return Page([mark_safe(cached.get(key) or fresh[key]) for key in keyed], page.next_cursor)  # noqa: S308


ROW_FIELDS = ("pk", "subject", "contact__name", "owner__name", "brand__name", "state", "updated_at", "answer_due_at")
ROW_CACHE_SECONDS = 24 * 3600


def _clock(item: dict) -> dict | None:
    """The row's service-level clock columns, or None when it has none (no clock, or nothing set on it)."""
    fields = {name[5:]: item[name] for name in scope.SLA_COLUMNS}  # without "sla__"
    return fields if any(fields.values()) else None


def _sla(item: dict, clock: dict, brand: Brand, now: datetime) -> tuple[str, str, str, str] | None:
    """The most urgent stage of the row's service-level clock, as (state, stage, state shown, time left)."""
    shown = sla_status.worst(sla_status.case_status(sla_status.Moments(clock), brand, item["state"], now))
    return (shown.state, shown.label, shown.state_label, shown.left) if shown else None


def _render_row(item: dict, address: str, overdue: bool, sla: tuple | None, row_tags: tuple = ()) -> str:
    due, state = item["answer_due_at"], item["state"]
    shown_as = formats.get_format("SHORT_DATETIME_FORMAT")
    row = Row(
        pk=str(item["pk"]),
        url=f"{case_url_prefix()}{item['pk']}/",
        subject=item["subject"],
        contact_name=item["contact__name"],
        address=address,
        owner=item["owner__name"],
        brand=item["brand__name"],
        state=state,
        state_label=str(dict(CaseState.choices).get(state, state)),
        updated=shown_time(item["updated_at"], shown_as),
        due=shown_time(due, shown_as) if due else None,
        overdue=overdue,
        sla=sla,
        tags=row_tags,
    )
    return _row_template().render({"case": row})


def _row_template():  # noqa: ANN202 - a backend template
    return get_template("desk/_case_row.html")


def _list_response(request: HttpRequest, template: str, context: dict) -> HttpResponse:
    # A live refresh (desk.js) or "more" asks for the list fragment only, not the page around it.
    if request.htmx and request.GET.get("part") == "list":
        template = "desk/_case_list.html"
    context["page"] = _rows(context["page"])
    return render_page(request, template, context)


# The first page of each list as it opens, compiled once (base/prepared.py): what agents load again and again.
_MINE = {
    done: Prepared(
        lambda owner, brands, states=states: newest_first(listed_in(brands).filter(owner_id=owner, state__in=states))
    )
    for done, states in ((False, OPEN_STATES), (True, DONE_STATES))
}
_QUEUE = Prepared(lambda brands: newest_first(listed_in(brands).filter(state__in=OPEN_STATES)))
# The queue's filter choices. Names only: teams and their brands as model instances decoded every column of both.
_BRAND_CHOICES = Prepared(lambda brands: Brand.objects.filter(pk__in=brands).order_by("name").values_list("pk", "name"))
_TEAMS = Prepared(lambda brands: Team.objects.filter(brand_id__in=brands).values_list("pk", "name", "brand__name"))
_TAG_NAMES = Prepared(lambda brands: tags.names_query(brands))


@require_GET
@scope.agent_required
def inbox(request: HttpRequest) -> HttpResponse:
    """My cases: open and waiting ones first (the default view), solved and closed on their own tab."""
    agent = request.agent
    done = request.GET.get("show") == "done"
    if cursor := request.GET.get("after"):
        cases = scope.listed_cases(agent).filter(owner=agent, state__in=DONE_STATES if done else OPEN_STATES)
        page = keyset(cases, cursor)
    else:
        page = page_of(_MINE[done](owner=agent.pk, brands=scope.brand_ids(agent)))
    context = {"page": page, "done": done, "list_title": "mine", "filter_query": "show=done" if done else ""}
    context["bulk_form"] = BulkForm(agent)
    return _list_response(request, "desk/inbox.html", context)


@require_GET
@scope.agent_required
def queue(request: HttpRequest) -> HttpResponse:
    """The team queue: every case of my brands, open and waiting by default, filterable by brand, team and state."""
    agent = request.agent
    brand_param = request.GET.get("brand", "")
    if brand_param:
        scope.get_brand_or_404(agent, brand_param)  # another brand's queue is a 404, never an empty list
    ids = scope.brand_ids(agent)
    choices = _BRAND_CHOICES(brands=ids)
    team_choices = [(pk, f"{name} ({brand})" if len(ids) > 1 else name) for pk, name, brand in _TEAMS(brands=ids)]
    tag_names = _TAG_NAMES(brands=ids)
    form = QueueFilterForm(choices, request.GET, teams=team_choices, tags=[(name, name) for name in tag_names])
    if not form.is_valid():
        raise BadRequest("bad queue filter")
    cases = scope.listed_cases(agent)
    if form.cleaned_data["brand"]:
        cases = cases.filter(brand_id=form.cleaned_data["brand"])
    if team := form.cleaned_data["team"]:
        # The team's cases: routed to it, or owned by one of its members.
        members = Team.members.through.objects.filter(team_id=team).values("agent_id")
        cases = cases.filter(Q(team_id=team) | Q(owner_id__in=members))
    if tag := form.cleaned_data["tag"]:
        cases = cases.filter(tags.tagged(tag))  # by name: the same tag in each of my brands
    state = form.cleaned_data["state"]
    cases = cases.filter(state=state) if state else cases.filter(state__in=OPEN_STATES)
    cursor = request.GET.get("after")
    if cursor or any(form.cleaned_data[name] for name in ("brand", "team", "tag", "state")):
        page = keyset(cases, cursor)
    else:  # the queue as it opens
        page = page_of(_QUEUE(brands=scope.brand_ids(agent)))
    filters = (("brand", brand_param), ("team", team or ""), ("state", state), ("tag", tag or ""))
    query = "&".join(f"{k}={v}" for k, v in filters if v)
    context = {"page": page, "form": form, "list_title": "queue", "filter_query": query}
    context["bulk_form"] = BulkForm(agent)
    return _list_response(request, "desk/queue.html", context)
