"""Refuse a NUL character in any text a request sends: one check for every form, query string and API body.

A NUL has no place in a name, a subject or a search, and PostgreSQL cannot store it in a text column; caught
here, every input gets the same clear 400 instead of a 500 from whichever query meets it first.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.http.multipartparser import MultiPartParserError

NUL = "\x00"
REFUSED = "A NUL character (U+0000) is not accepted in any field."
_ESCAPED_NUL = re.compile(rb"\\u0000", re.IGNORECASE)
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


def has_nul(value: object) -> bool:
    """True when a string, or any key or value of parsed JSON, holds a NUL."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(v) for v in value)
    return False


def _lists_have_nul(pairs: Iterable[tuple[str, list]]) -> bool:
    return any(NUL in key or any(isinstance(v, str) and NUL in v for v in values) for key, values in pairs)


def request_has_nul(request: HttpRequest) -> bool:
    if NUL in request.path_info or _lists_have_nul(request.GET.lists()):
        return True
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    content_type = request.content_type or ""
    if content_type in _FORMS:
        try:
            return _lists_have_nul(request.POST.lists()) or any(NUL in (f.name or "") for f in request.FILES.values())
        except MultiPartParserError:
            return False  # the view answers a broken upload with its own 400
    if content_type == "application/json" or content_type.endswith("+json"):
        body = request.body
        if b"\x00" in body:
            return True
        if _ESCAPED_NUL.search(body):  # cheap test first; parse only when an escaped NUL may be there
            try:
                return has_nul(json.loads(body))
            except ValueError:
                return False  # not JSON: the API refuses it itself
    return False


class RefuseNulBytes:
    """Middleware: a 400 (JSON under /api/) before any view or query sees the NUL."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request_has_nul(request):
            if request.path_info.startswith("/api/"):
                # The API's one error shape (anliegen.api.errors).
                return JsonResponse({"status": 400, "code": "bad_request", "detail": REFUSED, "errors": []}, status=400)
            return HttpResponseBadRequest(REFUSED, content_type="text/plain; charset=utf-8")
        return self.get_response(request)
