"""Knowledge-base actions: drafts and versions, review and publishing, search, "did this help?"."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import nh3
from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from anliegen.channels.email.sanitize import html_to_text
from anliegen.core import roles
from anliegen.core.models import Agent, Brand

from ..models import Article, ArticleFeedback, ArticleVersion, Category
from . import ranking, status_cache
from .incidents import may_manage

MAX_BODY = 200_000
TAGS = {"a", "b", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "i", "li", "ol", "p", "pre", "strong", "ul"}


class ArticleError(ValueError):
    """A request the article cannot take; the message is shown to the agent."""


def clean_body(raw: str) -> str:
    """Sanitised article HTML: a small set of tags, links only to http(s)/mailto/tel, nothing executable."""
    if len(raw) > MAX_BODY:
        raise ArticleError(_("The text is too long (at most %(n)d characters).") % {"n": MAX_BODY})
    return nh3.clean(
        raw,
        tags=TAGS,
        attributes={"a": {"href", "title"}},
        url_schemes={"http", "https", "mailto", "tel"},
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


@transaction.atomic
def do_draft(
    brand: Brand,
    author: Agent | None,
    *,
    title: str,
    body: str,
    language: str = "de",
    category: Category | None = None,
    article: Article | None = None,
    slug: str = "",
) -> ArticleVersion:
    """A new version of an article (a new article when `article` is None); the public text stays until review."""
    html = clean_body(body)
    if article is None:
        article = Article.objects.create(
            brand=brand,
            language=language,
            slug=_free_slug(brand, language, slug or title),
            category=category,
            title=title,
        )
    elif category is not None:
        Article.objects.filter(pk=article.pk).update(category=category)
    number = (article.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    return ArticleVersion.objects.create(article=article, number=number, title=title, body_html=html, author=author)


def _free_slug(brand: Brand, language: str, text: str) -> str:
    base = slugify(text)[:100] or "artikel"
    slug, n = base, 1
    while Article.objects.filter(brand=brand, language=language, slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def do_submit(version: ArticleVersion) -> None:
    if version.state not in (ArticleVersion.State.DRAFT, ArticleVersion.State.REJECTED):
        raise ArticleError(_("Only a draft can be sent to review."))
    ArticleVersion.objects.filter(pk=version.pk).update(state=ArticleVersion.State.REVIEW)
    version.state = ArticleVersion.State.REVIEW


@transaction.atomic
def check_review(version: ArticleVersion, reviewer: Agent, approve: bool, note: str = "") -> None:
    """A supervisor of the brand approves (the version becomes the public text) or sends it back with a note."""
    article = version.article
    if not may_manage(reviewer, article.brand_id):
        raise ArticleError(_("Only supervisors of this brand review articles."))
    if version.state != ArticleVersion.State.REVIEW:
        raise ArticleError(_("This version is not waiting for review."))
    now = timezone.now()
    version.reviewer, version.reviewed_at, version.review_note = reviewer, now, note
    if not approve:
        version.state = ArticleVersion.State.REJECTED
        version.save()
        return
    version.state = ArticleVersion.State.PUBLISHED
    version.save()
    do_publish(article, version)


def do_publish(article: Article, version: ArticleVersion) -> None:
    article.title = version.title
    article.body_html = version.body_html
    article.body_text = html_to_text(version.body_html)
    article.state = Article.State.PUBLISHED
    article.published_at = article.published_at or timezone.now()
    article.save()
    status_cache.changed(article.brand_id)
    ranking.indexed(article)


def may_review(agent: Agent) -> bool:
    return bool(roles.brand_ids(agent, roles.SUPERVISOR))


@dataclass
class Match:
    article: Article
    score: float


def matching_articles(brand: Brand | int, text: str, language: str = "", limit: int = 5) -> list[Match]:
    """Published articles of the brand about `text`, best first."""
    brand_id = brand if isinstance(brand, int) else brand.pk
    hits = ranking.rank(brand_id, text, language, limit)
    articles = Article.objects.in_bulk([pk for pk, _score in hits])
    return [Match(articles[pk], score) for pk, score in hits if pk in articles]


def reader_key(ip: str, user_agent: str) -> str:
    return hashlib.sha256(f"{ip}|{user_agent}".encode()).hexdigest()


def do_feedback(article: Article, helpful: bool, reader: str) -> bool:
    """Record one vote per reader and article; a second vote changes the first. False when nothing changed."""
    try:
        with transaction.atomic():
            ArticleFeedback.objects.create(article=article, helpful=helpful, reader=reader)
        return True
    except IntegrityError:
        return (
            ArticleFeedback.objects.filter(article=article, reader=reader)
            .exclude(helpful=helpful)
            .update(helpful=helpful)
            > 0
        )


def feedback_counts(article_ids: list[int]) -> dict[int, tuple[int, int]]:
    """{article id: (helped, did not help)}."""
    rows = (
        ArticleFeedback.objects.filter(article_id__in=article_ids)
        .values("article_id")
        .annotate(yes=Count("pk", filter=Q(helpful=True)), no=Count("pk", filter=Q(helpful=False)))
    )
    return {r["article_id"]: (r["yes"], r["no"]) for r in rows}
