"""Rendering desk pages: the common context of the top bar, and keyset pages that stay fast on long lists."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

from django.core.exceptions import BadRequest
from django.db.models import Model, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import dateformat, timezone

from anliegen.core.models import Presence

from . import scope

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
PAGE_SIZE = 50
STRFTIME = {"d": "%d", "m": "%m", "Y": "%Y", "y": "%y", "H": "%H", "i": "%M", "s": "%S"}


def render_page(
    request: HttpRequest, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HttpResponse:
    agent = request.agent
    base = {
        "agent": agent,
        "may_outbox": scope.may_see_outbox(agent),
        "may_admin": scope.may_admin(agent),
        "presence_choices": Presence.choices,
        "now": timezone.now(),
    }
    return render(request, template, base | (context or {}), status=status)


@lru_cache(maxsize=1)
def case_url_prefix() -> str:
    """A case's desk URL is this and "<id>/": rows of a list put it together instead of reversing it each."""
    return reverse("desk:case", args=[0]).removesuffix("0/")


@lru_cache(maxsize=32)
def _strftime_pattern(django_format: str) -> str | None:
    """The strftime equivalent of a date format such as "d.m.Y H:i", or None if it needs Django's formatter."""
    if "\\" in django_format:  # escaped letters: leave them to Django
        return None
    out = []
    for char in django_format:
        if char.isalpha():
            if char not in STRFTIME:
                return None
            out.append(STRFTIME[char])
        else:
            out.append(char.replace("%", "%%"))
    return "".join(out)


def shown_time(at: datetime, django_format: str) -> tuple[str, str]:
    """(ISO 8601, as `django_format` shows it) in the current time zone: what a row's <time> needs."""
    # Django's formatter costs ~0.2 ms a call, two per row; strftime a tenth of that for numeric formats.
    local = timezone.localtime(at)
    pattern = _strftime_pattern(django_format)
    shown = local.strftime(pattern) if pattern else dateformat.format(local, django_format)
    return local.isoformat(), shown


def look_key(prefix: str, look: object) -> str:
    """A cache key for HTML rendered from exactly `look` (everything it shows): a change anywhere is a new key."""
    return f"{prefix}:" + hashlib.blake2b(repr(_plain(look)).encode(), digest_size=16).hexdigest()


def _plain(value: object) -> object:
    """Lazy translations and choice values as the text they show (their repr names a memory address)."""
    kind = type(value)
    if kind is str or kind is int or kind is bool or value is None:  # most of a list row's ~20 values
        return value
    if kind is tuple or isinstance(value, list | tuple):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _plain(v)) for k, v in value.items()))
    return value if value is None or isinstance(value, bool | int) else str(value)


@dataclass
class Page:
    items: list[Any]
    next_cursor: str  # empty on the last page


def keyset(qs: QuerySet, cursor: str | None, field: str = "updated_at", size: int = PAGE_SIZE) -> Page:
    """Newest first by `field`, then id; `cursor` is the position after the last row shown.

    Unlike OFFSET, the database walks the (…, field) index from the cursor on, so page 1000 costs
    what page 1 costs, and rows that arrive meanwhile do not shift the pages.
    """
    if cursor:
        at, pk = _parse_cursor(cursor)
        qs = qs.filter(Q(**{f"{field}__lt": at}) | Q(**{field: at, "pk__lt": pk}))
    return page_of(list(newest_first(qs, field, size)), field, size)


def newest_first(qs: QuerySet, field: str = "updated_at", size: int = PAGE_SIZE) -> QuerySet:
    """The rows of one page and one more (whether there is a next page), newest first by `field`, then id."""
    return qs.order_by(f"-{field}", "-pk")[: size + 1]


def page_of(rows: list[Any], field: str = "updated_at", size: int = PAGE_SIZE) -> Page:
    """A page of the rows `newest_first` read, with the cursor of the next page when there is one."""
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows, _cursor(rows[-1], field) if more else "")


def _cursor(row: Model | dict, field: str) -> str:
    # Rows are model instances, or dicts from .values() that carry "pk" and the field.
    at, pk = (row[field], row["pk"]) if isinstance(row, dict) else (getattr(row, field), row.pk)
    micros = (at - EPOCH) // timedelta(microseconds=1)
    return f"{micros}-{pk}"


def _parse_cursor(cursor: str) -> tuple[datetime, int]:
    try:
        micros, pk = (int(part) for part in cursor.split("-", 1))
        return EPOCH + timedelta(microseconds=micros), pk
    except (ValueError, OverflowError) as exc:
        raise BadRequest("bad page cursor") from exc
