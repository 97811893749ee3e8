"""The public help centre: categories and articles of a brand in the reader's language, search, "did this help?"."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from anliegen.base import ratelimit
from anliegen.core.models import Brand

from ..models import Article, Category
from ..services import articles as service
from .public import brand_for, language, not_found

FEEDBACK_RATE = ratelimit.Rate(30, 3600)


def _context(request: HttpRequest, brand: object, **extra: object) -> dict:
    lang = language(request)
    return {"brand": brand, "lang": lang, "lang_query": "", **extra}


@require_GET
def help_home(request: HttpRequest, brand_slug: str) -> HttpResponse:
    brand = brand_for(brand_slug)
    if brand is None:
        return not_found(request)
    lang = language(request)
    published = Article.objects.filter(brand=brand, language=lang, state=Article.State.PUBLISHED).select_related(
        "category"
    )
    categories: dict[int | None, list[Article]] = {}
    for article in published.order_by("title"):
        categories.setdefault(article.category_id, []).append(article)
    shown = [(c.label(lang), categories.get(c.pk, [])) for c in Category.objects.filter(brand=brand)]
    shown = [(label, items) for label, items in shown if items]
    if categories.get(None):
        shown.append(("", categories[None]))
    return render(request, "selfservice/help_home.html", _context(request, brand, categories=shown))


@require_GET
def help_search(request: HttpRequest, brand_slug: str) -> HttpResponse:
    brand = brand_for(brand_slug)
    if brand is None:
        return not_found(request)
    query = " ".join(request.GET.get("q", "").split())[:200]
    lang = language(request)
    found = service.matching_articles(brand, query, lang, limit=20) if query else []
    return render(request, "selfservice/help_search.html", _context(request, brand, query=query, found=found))


@require_GET
def article_page(request: HttpRequest, brand_slug: str, lang: str, slug: str) -> HttpResponse:
    brand = brand_for(brand_slug)
    if brand is None:
        return not_found(request)
    article = _published(brand, lang, slug)
    other = Article.objects.filter(state=Article.State.PUBLISHED).filter(pk=article.translation_of_id).first()
    if other is None:
        other = Article.objects.filter(translation_of=article, state=Article.State.PUBLISHED).first()
    context = _context(request, brand, article=article, other=other, thanks=request.GET.get("thanks"))
    context["lang"] = article.language  # the page speaks the article's language
    return render(request, "selfservice/article.html", context)


def _published(brand: Brand, lang: str, slug: str) -> Article:
    """The brand's published article at this address (a draft or an archived one is not found)."""
    article = Article.objects.filter(brand=brand, language=lang, slug=slug, state=Article.State.PUBLISHED).first()
    if article is None:
        raise Http404
    return article


def article_url(article: Article) -> str:
    return reverse("selfservice:article", args=[article.brand.slug, article.language, article.slug])


# Anonymous votes change only counters and carry no session; a cached public page has no CSRF token to send.
@csrf_exempt
@require_POST
def article_feedback(request: HttpRequest, brand_slug: str, lang: str, slug: str) -> HttpResponse:
    brand = brand_for(brand_slug)
    if brand is None:
        return not_found(request)
    article = _published(brand, lang, slug)
    if request.POST.get("helpful") not in ("yes", "no"):
        return HttpResponse(status=400)
    ip = ratelimit.client_ip(request)
    if not ratelimit.consume("kb-feedback", [ip], FEEDBACK_RATE):
        return ratelimit.refused(request, FEEDBACK_RATE)
    reader = service.reader_key(ip, request.META.get("HTTP_USER_AGENT", ""))
    service.do_feedback(article, request.POST["helpful"] == "yes", reader)
    if request.headers.get("Accept", "").startswith("application/json"):
        return JsonResponse({"ok": True})
    return redirect(f"{article_url(article)}?thanks=1#feedback")
