"""What every public self-service page shares: the brand by slug, the reader's language, the page cache."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation

from anliegen.core.models import Brand

from ..services import status_cache

LANGS = ("de", "en")


def brand_for(slug: str) -> Brand | None:
    key = f"selfservice:brand:{slug}"
    brand = cache.get(key)
    if brand is None:
        brand = Brand.objects.filter(slug=slug).first()
        if brand is not None:
            cache.set(key, brand, 300)
    return brand


def language(request: HttpRequest) -> str:
    """?lang= chosen on the page, else what the browser asks for (the page has no session to keep it in)."""
    asked = request.GET.get("lang", "")
    if asked in LANGS:
        return asked
    current = (getattr(request, "LANGUAGE_CODE", "") or translation.get_language() or "en")[:2]
    return current if current in LANGS else "en"


def cached(
    request: HttpRequest, brand: Brand, part: str, build: Callable[[], HttpResponse], *, vary: str = ""
) -> HttpResponse:
    """The response of `build`, kept until the brand's incidents change or STATUS_CACHE_SECONDS pass.

    Only 200 responses are kept; the key holds brand, page, language, the reader's input and the version.
    """
    lang = language(request)
    digest = hashlib.blake2b(vary.encode(), digest_size=8).hexdigest()
    key = f"selfservice:page:{brand.pk}:{status_cache.version(brand.pk)}:{part}:{lang}:{digest}"
    hit = cache.get(key)
    if hit is not None:
        content, content_type = hit
        response = HttpResponse(content, content_type=content_type)
    else:
        with translation.override(lang):
            response = build()
        if response.status_code != 200:
            return response
        cache.set(key, (response.content, response["Content-Type"]), settings.STATUS_CACHE_SECONDS)
    response["Cache-Control"] = f"public, max-age={min(60, settings.STATUS_CACHE_SECONDS)}"
    response["Content-Language"] = lang
    return response


def not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "selfservice/brand_missing.html", {"brands": Brand.objects.order_by("name")}, status=404)
