"""Cached HTML fragments: keys that name their template's source, and CSRF slots each request fills in.

A fragment rendered once and read from the cache for every later view must not carry one request's CSRF token:
it is rendered with `CSRF_SLOT` as the token, and the page puts its own token in each slot as it is sent.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import trans_real

CSRF_SLOT = "csrf-slot"
# What {% csrf_token %} makes of the slot. Text from customers or agents is escaped, so "<input" in a page comes
# from a template, never from what someone wrote.
_SLOT_HTML = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', CSRF_SLOT).encode()
_sources: dict[str, str] = {}


def source_digest(template: object) -> str:
    """A short digest of a loaded template's source: an edited template renders under new keys (also in a cache
    shared with processes that still run the old one)."""
    source = template.template.source  # the Django backend's Template keeps its source
    found = _sources.get(source)
    if found is None:
        found = _sources[source] = hashlib.blake2b(source.encode(), digest_size=8).hexdigest()
    return found


def shown_in() -> tuple[str, str, str, str]:
    """What a fragment's text depends on besides its data: the language and its translations (a release with a
    corrected translation renders under new keys), the time zone, the URL prefix."""
    language = translation.get_language() or ""
    return (language, _catalog_digest(language), timezone.get_current_timezone_name(), get_script_prefix())


@lru_cache(maxsize=16)
def _catalog_digest(language: str) -> str:
    # ~5 ms once per language and process (2,000 messages); the catalog does not change while the process runs.
    catalog = trans_real.translation(language)._catalog if language else {}
    text = repr(sorted((repr(k), str(v)) for k, v in catalog.items()))
    return hashlib.blake2b(text.encode(), digest_size=8).hexdigest()


def fill_csrf(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Put this request's CSRF token in the response's slots (one token for the page, as Django's tag does)."""
    if _SLOT_HTML in response.content:
        token = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', get_token(request))
        response.content = response.content.replace(_SLOT_HTML, token.encode())
    return response
