"""What every public self-service page shares: the brand by slug, the reader's language, the page cache."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from anliegen.core.models import Brand

from ..services import status_cache

LANGS = ("de", "en")
FASTPATH_SLOT = "anliegen.status"  # set in the ASGI scope by selfservice.fastpath


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

    Only 200 responses are kept; the key holds brand, page, language, the reader's input and the incidents' stamp.
    ETag (a digest of the body) and Last-Modified (when it was built) answer a reload with 304. Behind the web
    server's status fast path (selfservice.fastpath) the whole response is kept under the same key and the next
    reader is answered before Django runs at all.
    """
    lang = language(request)
    status_cache.remember_slug(brand.slug, brand.pk)
    key = status_cache.page_key(brand.pk, status_cache.version(brand.pk), part, lang, vary)
    hit = cache.get(key)
    if hit is not None:
        response = HttpResponse(hit["body"], content_type=hit["content_type"])
        etag, built = hit["etag"], hit["built"]
    else:
        with translation.override(lang):
            response = build()
        if response.status_code != 200:
            return response
        etag = f'"{hashlib.blake2b(response.content, digest_size=12).hexdigest()}"'
        built = int(time.time())
        entry = {"body": response.content, "content_type": response["Content-Type"], "etag": etag, "built": built}
        cache.set(key, entry, settings.STATUS_CACHE_SECONDS)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(built)
    response["Cache-Control"] = f"public, max-age={min(60, settings.STATUS_CACHE_SECONDS)}"
    response["Content-Language"] = lang
    scope = getattr(request, "scope", None) or request.META.get("asgi.scope")  # Django's ASGI or a2wsgi's WSGI
    if scope is not None and FASTPATH_SLOT in scope:
        scope[FASTPATH_SLOT]["key"] = key  # the fast path keeps the finished response (all headers) under it
    return get_conditional_response(request, etag=etag, last_modified=built, response=response)


def not_found(request: HttpRequest) -> HttpResponse:
    return render(request, "selfservice/brand_missing.html", {"brands": Brand.objects.order_by("name")}, status=404)
