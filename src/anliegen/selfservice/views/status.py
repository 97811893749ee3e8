"""A brand's public status page: current incidents, "is my area affected?", 90 days of history, Atom, badge."""

from __future__ import annotations

import re
from datetime import timedelta
from urllib.parse import quote

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import feedgenerator, timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from anliegen.core.case_links import status_url
from anliegen.core.models import Brand, Incident

from ..models import IncidentUpdate
from ..services.incidents import active_incidents, affects
from .public import brand_for, cached, language, not_found

HISTORY_DAYS = 90
POSTCODE = re.compile(r"^\d{5}$")


def _shown(incidents: list[Incident], lang: str) -> list[dict]:
    updates: dict[int, list[IncidentUpdate]] = {}
    for update in IncidentUpdate.objects.filter(incident__in=incidents).order_by("-created_at", "-id"):
        updates.setdefault(update.incident_id, []).append(update)
    return [
        {
            "incident": i,
            "title": i.public_title(lang),
            "text": i.public_text(lang),
            "updates": [
                (u, u.public_text(lang)) for u in updates.get(i.pk, []) if u.kind != IncidentUpdate.Kind.OPENED
            ],
        }
        for i in incidents
    ]


def history(brand: Brand) -> list[Incident]:
    since = timezone.now() - timedelta(days=HISTORY_DAYS)
    return list(
        Incident.objects.filter(
            brand=brand, public=True, state=Incident.State.RESOLVED, resolved_at__gte=since
        ).order_by("-resolved_at")
    )


@require_GET
def status_page(request: HttpRequest, brand_slug: str) -> HttpResponse:
    brand = brand_for(brand_slug)
    if brand is None:
        return not_found(request)
    raw = request.GET.get("postcode", "").strip()[:20]
    postcode = raw.replace(" ", "")

    def build() -> HttpResponse:
        lang = language(request)
        current = active_incidents(brand)
        context = {
            "brand": brand,
            "lang": lang,
            "current": _shown(current, lang),
            "history": [(i, i.public_title(lang)) for i in history(brand)],
            "postcode": raw,
            "lang_query": f"&postcode={quote(raw)}" if raw else "",
            "postcode_valid": bool(POSTCODE.match(postcode)),
            "affecting": [i.public_title(lang) for i in current if affects(i, postcode)]
            if POSTCODE.match(postcode)
            else [],
            "feed_url": reverse("selfservice:status_feed", args=[brand.slug]),
            "badge_url": status_url(brand).rsplit("/status/", 1)[0] + "/status/badge.svg",
            "page_url": status_url(brand),
        }
        html = render_to_string("selfservice/status.html", context, request=None)
        return HttpResponse(html)

    return cached(request, brand, "status", build, vary=postcode)


@require_GET
def status_feed(request: HttpRequest, brand_slug: str) -> HttpResponse:
    """Atom: one entry per public update of the last 90 days, newest first."""
    brand = brand_for(brand_slug)
    if brand is None:
        return not_found(request)

    def build() -> HttpResponse:
        lang = language(request)
        page = status_url(brand)
        feed = feedgenerator.Atom1Feed(
            title=_("%(brand)s: service status") % {"brand": brand.name},
            link=page,
            description="",
            language=lang,
            feed_url=page + "feed.atom",
        )
        since = timezone.now() - timedelta(days=HISTORY_DAYS)
        updates = (
            IncidentUpdate.objects.filter(incident__brand=brand, incident__public=True, created_at__gte=since)
            .select_related("incident")
            .order_by("-created_at", "-id")[:200]
        )
        for u in updates:
            feed.add_item(
                title=f"{u.get_kind_display()}: {u.incident.public_title(lang)}",
                link=f"{page}#incident-{u.incident_id}",
                description=u.public_text(lang),
                unique_id=f"{page}#update-{u.pk}",
                updateddate=u.created_at,
                pubdate=u.created_at,
            )
        return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml; charset=utf-8")

    return cached(request, brand, "feed", build)


BADGE = """<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="20" role="img" aria-label="{label}">
<title>{label}</title><rect width="{w}" height="20" rx="3" fill="{color}"/>
<text x="{x}" y="14" fill="#fff" font-family="Verdana,sans-serif" font-size="11" text-anchor="middle">{label}</text></svg>"""


@require_GET
def status_badge(request: HttpRequest, brand_slug: str) -> HttpResponse:
    """A small SVG for other sites: green when nothing is known, red with the number of disruptions."""
    brand = brand_for(brand_slug)
    if brand is None:
        return not_found(request)

    def build() -> HttpResponse:
        count = len(active_incidents(brand))
        if count:
            label = translation.ngettext("%(n)d disruption", "%(n)d disruptions", count) % {"n": count}
        else:
            label = _("All systems normal")
        width = 14 + 7 * len(label)
        svg = BADGE.format(w=width, x=width // 2, label=label, color="#b42318" if count else "#1a7f37")
        return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")

    response = cached(request, brand, "badge", build)
    response["Access-Control-Allow-Origin"] = "*"
    return response
