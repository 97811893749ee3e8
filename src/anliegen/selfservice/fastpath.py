"""The public status page, its feed and badge answered from the cache in the web server's event loop.

Django runs every view on one thread per process (see asgi.py), so a cached status page still waited for that
thread, the WSGI environ, sessions, locale, CSRF and the other middleware. A reader of the status page needs none
of that: when this process holds the brand's incident stamp fresh (services.status_cache), the finished response
(every header the middleware set, no cookies; the server adds its Date) is looked up by the same key the view uses and sent from here,
or a 304 when the reader's ETag or date still holds. Anything else, and every miss, goes to Django unchanged;
the response Django sends for a miss is kept for the next reader.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import QueryDict
from django.http.cookie import parse_cookie
from django.utils import translation
from django.utils.http import parse_http_date_safe

from .services import status_cache
from .views.public import FASTPATH_SLOT, LANGS

PATH = re.compile(r"^/(?P<slug>[-a-zA-Z0-9_]+)/status/(?P<file>|feed\.atom|badge\.svg)$")
PARTS = {"": "status", "feed.atom": "feed", "badge.svg": "badge"}
QUERY_NAMES = {"lang", "postcode"}
DROPPED = {b"set-cookie", b"content-length"}
NOT_MODIFIED_DROPPED = {b"content-type", b"content-length", b"set-cookie"}


def language(query: QueryDict, headers: dict[bytes, bytes]) -> str:
    """The same choice as the view's public.language() after LocaleMiddleware: ?lang=, cookie, Accept-Language."""
    asked = query.get("lang", "")
    if asked in LANGS:
        return asked
    reader = SimpleNamespace(
        COOKIES=parse_cookie(headers.get(b"cookie", b"").decode("latin-1")),
        META={"HTTP_ACCEPT_LANGUAGE": headers.get(b"accept-language", b"").decode("latin-1")},
    )
    chosen = translation.get_language_from_request(reader, check_path=False)[:2]
    return chosen if chosen in LANGS else "en"


def key_for(scope: dict) -> str | None:
    """The view's cache key for this request, or None when it cannot be told without Django (then Django answers)."""
    if scope["method"] != "GET" or scope.get("root_path"):
        return None
    match = PATH.match(scope["path"])
    if match is None:
        return None
    held = status_cache.fresh_version(match["slug"])
    if held is None:
        return None
    raw = scope["query_string"]
    if not raw.isascii():
        return None
    query = QueryDict(raw.decode("ascii"))
    if set(query) - QUERY_NAMES:
        return None  # an unusual query: Django answers it (and caches it under its own key)
    part = PARTS[match["file"]]
    headers = dict(scope["headers"])
    vary = query.get("postcode", "").strip()[:20].replace(" ", "") if part == "status" else ""
    return status_cache.page_key(held[0], held[1], part, language(query, headers), vary)


def not_modified(entry: dict, headers: dict[bytes, bytes]) -> bool:
    """RFC 9110 §13.2.2: If-None-Match decides when sent; If-Modified-Since only without it."""
    if (tags := headers.get(b"if-none-match")) is not None:
        sent = {t.strip().removeprefix("W/") for t in tags.decode("latin-1").split(",")}
        return "*" in sent or entry["etag"] in sent
    since = headers.get(b"if-modified-since")
    when = parse_http_date_safe(since.decode("latin-1")) if since else None
    return when is not None and entry["built"] <= when


class StatusFastPath:
    """ASGI middleware in front of Django's HTTP application."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        key = key_for(scope) if scope["type"] == "http" else None
        entry = cache.get(key) if key else None
        if entry is not None and "headers" in entry:
            await self.answer(entry, dict(scope["headers"]), send)
            return
        if scope["type"] != "http" or not PATH.match(scope["path"]):
            await self.app(scope, receive, send)
            return
        slot: dict = {}
        scope = {**scope, FASTPATH_SLOT: slot}  # the view leaves its cache key here
        started: dict = {}
        body: list[bytes] = []

        async def keep(message: dict) -> None:
            if message["type"] == "http.response.start":
                started.update(message)
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if not message.get("more_body") and started.get("status") == 200 and slot.get("key"):
                    self.store(slot["key"], started["headers"], b"".join(body))
            await send(message)

        await self.app(scope, receive, keep)

    @staticmethod
    def store(key: str, headers: list, content: bytes) -> None:
        entry = cache.get(key)
        if entry is None or entry.get("body") != content:
            return  # the view's entry is gone or changed meanwhile: the next miss keeps its own
        kept = [(name, value) for name, value in headers if name.lower() not in DROPPED]
        cache.set(key, dict(entry, headers=kept), settings.STATUS_CACHE_SECONDS)

    @staticmethod
    async def answer(entry: dict, headers: dict[bytes, bytes], send: Any) -> None:
        if not_modified(entry, headers):
            kept = [(n, v) for n, v in entry["headers"] if n.lower() not in NOT_MODIFIED_DROPPED]
            await send({"type": "http.response.start", "status": 304, "headers": kept})
            await send({"type": "http.response.body", "body": b""})
            return
        length = (b"content-length", str(len(entry["body"])).encode())
        await send({"type": "http.response.start", "status": 200, "headers": [*entry["headers"], length]})
        await send({"type": "http.response.body", "body": entry["body"]})
