"""Cursor pagination: newest first by id, an opaque signed cursor naming the last id seen."""

from __future__ import annotations

from django.core import signing
from django.db.models import QuerySet
from ninja import Field, Schema
from ninja.errors import HttpError
from pydantic import create_model

SALT = "anliegen.api.cursor"


class PageQuery(Schema):
    cursor: str | None = Field(None, max_length=200, description="next_cursor of the previous page")
    limit: int = Field(50, ge=1, le=200)


def page_of(item: type[Schema], name: str) -> type[Schema]:
    return create_model(name, __base__=Schema, items=(list[item], ...), next_cursor=(str | None, None))


def paginate(qs: QuerySet, page: PageQuery) -> dict:
    """One page of `qs` (newest first) and the cursor of the next one; a forged or foreign cursor is a 400."""
    qs = qs.order_by("-pk")
    if page.cursor:
        try:
            last = int(signing.loads(page.cursor, salt=SALT))
        except (signing.BadSignature, ValueError, TypeError) as exc:
            raise HttpError(400, "not a cursor this API gave out") from exc
        qs = qs.filter(pk__lt=last)
    rows = list(qs[: page.limit + 1])
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    return {"items": rows, "next_cursor": signing.dumps(rows[-1].pk, salt=SALT) if more and rows else None}
