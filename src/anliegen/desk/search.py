"""The desk's search page: cases of the agent's brands matching subject, messages or contact, with snippets."""

from __future__ import annotations

from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_GET

from anliegen.search import services
from anliegen.search.query import MAX_QUERY
from anliegen.workday import tags

from . import scope
from .pages import render_page

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
    context = {"q": text, "hits": hits, "searched": bool(text), "max_query": MAX_QUERY}
    return render_page(request, "desk/search/results.html", context)
