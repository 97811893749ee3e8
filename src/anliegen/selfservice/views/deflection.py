"""Suggestions while a customer writes: matching incidents and articles, and "solved, no need to send".

The suggestions never replace the form: the send button stays where it is and works as before.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from anliegen.base import ratelimit
from anliegen.core.services import incidents as matching

from ..models import Article
from ..services import articles, deflection
from ..services.incidents import active_incidents
from .help import article_url
from .public import brand_for, language, not_found

SUGGEST_RATE = ratelimit.Rate(600, 3600)
MIN_CHARS = 12


@require_GET
def suggest(request: HttpRequest, brand_slug: str) -> HttpResponse:
    brand = brand_for(brand_slug)
    if brand is None:
        return not_found(request)
    text = " ".join(request.GET.get("q", "").split())[:1000]
    if len(text) < MIN_CHARS:
        return HttpResponse("")
    if not ratelimit.consume("kb-suggest", [ratelimit.client_ip(request)], SUGGEST_RATE):
        return ratelimit.too_many(HttpResponse("", status=429), SUGGEST_RATE)  # the suggestions stay empty
    lang = language(request)
    found = matching.best(active_incidents(brand), text)
    # Articles in the language the page asked for; without one, in any (a German text in an English browser).
    asked = request.GET.get("lang", "") if request.GET.get("lang", "") in ("de", "en") else ""
    shown_articles = [(m.article, article_url(m.article)) for m in articles.matching_articles(brand, text, asked, 3)]
    visit = request.GET.get("visit", "")[:64]
    if visit and (found or shown_articles):
        deflection.do_shown(brand, visit)
    context = {
        "brand": brand,
        "incident": found.incident if found else None,
        "incident_title": found.incident.public_title(lang) if found else "",
        "incident_text": found.incident.public_text(lang) if found else "",
        "articles": shown_articles,
        "visit": visit,
    }
    from django.utils import translation

    with translation.override(lang):
        return HttpResponse(render_to_string("selfservice/_suggestions.html", context))


# The form page's visit id is the only input; nothing about a person is changed, so no CSRF token is needed.
@csrf_exempt
@require_POST
def solved(request: HttpRequest, brand_slug: str) -> HttpResponse:
    brand = brand_for(brand_slug)
    if brand is None:
        return not_found(request)
    visit = request.POST.get("visit", "")[:64]
    if not visit:
        return JsonResponse({"error": "visit missing"}, status=400)
    if not ratelimit.consume("kb-solved", [ratelimit.client_ip(request)], SUGGEST_RATE):
        return ratelimit.too_many(JsonResponse({"error": "too many"}, status=429), SUGGEST_RATE)
    article = Article.objects.filter(pk=request.POST.get("article") or 0, brand=brand).first()
    deflection.do_solved(brand, visit, article)
    return JsonResponse({"ok": True})
