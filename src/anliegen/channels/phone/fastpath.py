"""The routing query answered beside Django: no WSGI environ, middleware, session, CSRF or URL resolver.

The PBX asks while the phone rings and authenticates with the line's token in the URL (query.answer compares it
in constant time), so none of the request machinery a browser needs applies. This ASGI middleware answers
GET, and POST with `format=json` or `format=lines` in the URL, on a few threads of its own (each keeps its
database connection); TwiML, whose Twilio signature is checked over the URL as Django builds it, and anything
else go to Django unchanged. A database error is retried once on a fresh connection (the query only reads);
a second one is a 503, never a 500.
"""

from __future__ import annotations

import asyncio
import logging
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import QueryDict

from . import query

log = logging.getLogger(__name__)
PATH = re.compile(r"^/channels/phone/route/(?P<key>[^/]+)/$")
MAX_BODY = 16 * 1024
FAST_FORMATS = ("", "json", "lines")


def takes(scope: dict) -> str | None:
    """The line key when this request is the fast path's, else None."""
    if scope["type"] != "http" or scope.get("root_path") or scope["method"] not in ("GET", "POST"):
        return None
    match = PATH.match(scope["path"])
    if match is None:
        return None
    fmt = QueryDict(scope["query_string"]).get("format", "")
    if fmt not in FAST_FORMATS or (scope["method"] == "POST" and not fmt):
        return None  # a POST may name its format in the body (TwiML): Django reads it
    return match["key"]


def respond(key: str, raw_query: bytes, body: bytes) -> tuple[int, str, bytes]:
    """The answer, on one of this module's threads (its own database connection, kept from call to call)."""
    get = QueryDict(raw_query)
    params = QueryDict(body) if body else get
    for attempt in (1, 2):
        try:
            result = query.answer(key, get, params)
            if connection.errors_occurred:
                connection.close()
            return result
        except DatabaseError:
            connection.close()
            if attempt == 2:
                log.exception("phone: the routing query could not read the database")
    return query.refuse(503, "try again")


class PhoneRouteFastPath:
    """ASGI middleware in front of Django's HTTP application."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.pool = ThreadPoolExecutor(settings.PHONE_ROUTE_THREADS, thread_name_prefix="phone-route")

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        key = takes(scope)
        if key is None:
            await self.app(scope, receive, send)
            return
        body = b""
        if scope["method"] == "POST":
            while True:
                message = await receive()
                body += message.get("body", b"")
                if len(body) > MAX_BODY:
                    await self.send(send, *query.refuse(413, "body: too large", field="body"))
                    return
                if not message.get("more_body"):
                    break
        loop = asyncio.get_running_loop()
        status, content_type, content = await loop.run_in_executor(self.pool, respond, key, scope["query_string"], body)
        await self.send(send, status, content_type, content)

    @staticmethod
    async def send(send: Any, status: int, content_type: str, content: bytes) -> None:
        headers = [
            (b"content-type", content_type.encode()),
            (b"content-length", str(len(content)).encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"cache-control", b"no-store"),
        ]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": content})
