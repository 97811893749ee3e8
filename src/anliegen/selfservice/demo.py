"""Demo self-service content: a dozen help articles in German and English, a resolved incident in the status page's
history and a few community threads."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from anliegen.core.models import Brand, Incident

from .demo_articles import ARTICLES, CATEGORIES, RESOLVED_INCIDENT, THREADS
from .models import Answer, Article, Category, Thread
from .models.community import Post
from .services import articles, incidents


@transaction.atomic
def load(brand: Brand) -> int:
    """Bring in what is missing (safe to run again); returns how many articles were added."""
    categories = {}
    for position, (slug, name, name_en) in enumerate(CATEGORIES):
        categories[slug], _ = Category.objects.get_or_create(
            brand=brand, slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
        )
    added = 0
    for spec in ARTICLES:
        pair = {}
        for language in ("de", "en"):
            title, body = spec[language]
            article = Article.objects.filter(brand=brand, language=language, title=title).first()
            if article is None:
                version = articles.do_draft(
                    brand, None, title=title, body=body, language=language, category=categories[spec["category"]]
                )
                article = version.article
                articles.do_publish(article, version)
                version.state = version.State.PUBLISHED
                version.save(update_fields=["state"])
                added += 1
            pair[language] = article
        if pair["en"].translation_of_id is None:
            Article.objects.filter(pk=pair["en"].pk).update(translation_of=pair["de"])
    _resolved_incident(brand)
    _threads(brand)
    return added


def _threads(brand: Brand) -> None:
    """A few published community threads (written directly: they are the community's history, not new posts)."""
    from anliegen.core.models import Agent

    for language, title, question, asker, answers, accepted in THREADS:
        if Thread.objects.filter(brand=brand, title=title).exists():
            continue
        thread = Thread.objects.create(brand=brand, language=language, title=title, body=question, author_name=asker,
                                       author_email="community-demo@example.org", state=Post.PUBLISHED)  # fmt: skip
        made = []
        for text, author, official in answers:
            agent = Agent.objects.filter(name=author).first() if official else None
            made.append(Answer.objects.create(thread=thread, body=text, author_name=author, agent=agent,
                                              state=Post.PUBLISHED))  # fmt: skip
        if accepted is not None:
            Thread.objects.filter(pk=thread.pk).update(accepted=made[accepted])


def _resolved_incident(brand: Brand) -> None:
    if Incident.objects.filter(brand=brand, title=RESOLVED_INCIDENT["title"]).exists():
        return
    spec = dict(RESOLVED_INCIDENT)
    started = timezone.now() - timedelta(days=12, hours=3)
    incident = incidents.do_open(brand, None, starts_at=started, **spec)
    incidents.do_close(incident, None, "Das Kabel ist repariert.", "The cable is repaired.")
    Incident.objects.filter(pk=incident.pk).update(
        resolved_at=started + timedelta(hours=3), ends_at=started + timedelta(hours=3)
    )
