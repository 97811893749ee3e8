"""The desk's knowledge base: articles and their versions, review, the deflection rate, and article links for replies."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from anliegen.selfservice.models import Article, ArticleVersion, Category
from anliegen.selfservice.services import article_url
from anliegen.selfservice.services import articles as service
from anliegen.selfservice.services.deflection import rates

from .. import scope
from ..article_forms import ArticleForm, ReviewForm
from ..pages import render_page


def _article_or_404(agent: object, article_id: int) -> Article:
    article = Article.objects.filter(pk=article_id, brand_id__in=scope.brand_ids(agent)).select_related("brand").first()
    if article is None:
        raise Http404
    return article


@require_GET
@scope.agent_required
def article_list(request: HttpRequest) -> HttpResponse:
    ids = scope.brand_ids(request.agent)
    shown = (
        Article.objects.filter(brand_id__in=ids)
        .select_related("brand", "category")
        .order_by("brand__name", "language", "title")
    )
    waiting = ArticleVersion.objects.filter(
        article__brand_id__in=ids, state=ArticleVersion.State.REVIEW
    ).select_related("article", "author")
    votes = service.feedback_counts([a.pk for a in shown])
    rows = [(a, votes.get(a.pk, (0, 0))) for a in shown]
    context = {"rows": rows, "waiting": waiting, "rates": rates(ids), "may_review": service.may_review(request.agent)}
    return render_page(request, "desk/articles/list.html", context)


def _form(request: HttpRequest, article: Article | None) -> ArticleForm:
    ids = scope.brand_ids(request.agent)
    brands = [(b.pk, b.name) for b in scope.brands(request.agent)]
    categories = [
        (c.pk, f"{c.brand.name}: {c.name}") for c in Category.objects.filter(brand_id__in=ids).select_related("brand")
    ]
    initial = {}
    if article is not None:
        latest = article.versions.order_by("-number").first()
        initial = {
            "brand": article.brand_id,
            "language": article.language,
            "category": article.category_id,
            "title": latest.title if latest else article.title,
            "body": latest.body_html if latest else article.body_html,
        }
    return ArticleForm(brands, categories, request.POST or None, initial=initial)


@require_http_methods(["GET", "POST"])
@scope.agent_required
def article_edit(request: HttpRequest, article_id: int | None = None) -> HttpResponse:
    article = _article_or_404(request.agent, article_id) if article_id else None
    form = _form(request, article)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        brand = scope.get_brand_or_404(request.agent, data["brand"])
        category = Category.objects.filter(pk=data["category"], brand=brand).first() if data["category"] else None
        try:
            version = service.do_draft(
                brand,
                request.agent,
                title=data["title"],
                body=data["body"],
                language=data["language"],
                category=category,
                article=article,
            )
            if data["review"]:
                service.do_submit(version)
        except service.ArticleError as exc:
            form.add_error("body", str(exc))
        else:
            messages.success(request, _("Saved as version %(n)d.") % {"n": version.number})
            return redirect("desk:article", article_id=version.article_id)
    context = {
        "form": form,
        "article": article,
        "versions": article.versions.select_related("author", "reviewer") if article else [],
    }
    if article is not None and article.state == Article.State.PUBLISHED:
        context["public_url"] = article_url(article)
    return render_page(request, "desk/articles/edit.html", context, status=400 if form.errors else 200)


@require_POST
@scope.agent_required
def version_review(request: HttpRequest, version_id: int) -> HttpResponse:
    version = ArticleVersion.objects.filter(pk=version_id, article__brand_id__in=scope.brand_ids(request.agent)).first()
    if version is None:
        raise Http404
    if not service.may_manage(request.agent, version.article.brand_id):
        return scope.forbidden(request)  # agents write drafts; their brand's supervisors review them
    form = ReviewForm(request.POST)
    if form.is_valid():
        try:
            service.check_review(
                version, request.agent, form.cleaned_data["decision"] == "approve", form.cleaned_data["note"]
            )
            messages.success(request, _("Review saved."))
        except service.ArticleError as exc:
            messages.error(request, str(exc))
    return redirect("desk:article", article_id=version.article_id)


@require_GET
@scope.agent_required
def article_links(request: HttpRequest, case_id: int) -> HttpResponse:
    """Published articles for a case's brand and language, each with a button that puts its link in the reply."""
    case = scope.get_case_or_404(request.agent, case_id)
    query = " ".join(request.GET.get("q", "").split())[:200] or case.subject
    found = service.matching_articles(case.brand, query, case.language or "", limit=8)
    links = [(m.article, article_url(m.article)) for m in found]
    return render_page(request, "desk/articles/_links.html", {"links": links, "query": query})
