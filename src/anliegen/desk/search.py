"""The desk's search page: cases of the agent's brands matching subject, messages or contact, with snippets."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats
from django.views.decorators.http import require_GET

from anliegen.search import services
from anliegen.search.query import MAX_QUERY
from anliegen.workday import tags

from . import scope
from .pages import case_url_prefix, render_page, shown_time

RESULTS = 50


@require_GET
@scope.agent_required
def search_view(request: HttpRequest) -> HttpResponse:
    text = request.GET.get("q", "").strip()[:MAX_QUERY]
    if text.lower().startswith("tag:"):
        # "tag:rückruf" lists the tagged cases of my brands in the queue, when such a tag exists.
        name = tags.normalise(text[4:])
        if name in tags.names_in(scope.brand_ids(request.agent)):
            return redirect(f"{reverse('desk:queue')}?{urlencode({'tag': name, 'state': ''})}")
    hits = services.search(scope.brand_ids(request.agent), text, limit=RESULTS) if text else []
    context = {"q": text, "hits": hits, "rows": _rows(hits), "searched": bool(text), "max_query": MAX_QUERY}
    return render_page(request, "desk/search/results.html", context)


def _rows(hits: list[services.Hit]) -> list[dict]:
    """Each hit with its link and time as shown: 50 rows reversed the case's URL and formatted its time twice each
    in the template, half of the page's rendering."""
    prefix, shown_as = case_url_prefix(), formats.get_format("SHORT_DATETIME_FORMAT")
    return [{**vars(hit), "url": f"{prefix}{hit.case_id}/", "updated": shown_time(hit.updated_at, shown_as)} for hit in hits]
