"""ETags on reads (If-None-Match → 304) and on updates (If-Match, 412 when the resource moved on)."""

from __future__ import annotations

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest, HttpResponse, JsonResponse
from ninja import Schema
from ninja.errors import HttpError


def representation(schema: type[Schema], obj: object) -> dict:
    return schema.from_orm(obj).model_dump(mode="json", by_alias=False)


def etag_of(data: dict) -> str:
    # Of the representation itself: any change a reader could see changes the tag, nothing else does.
    text = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, separators=(",", ":"))
    return '"' + hashlib.sha256(text.encode()).hexdigest()[:32] + '"'


def _tags(header: str) -> set[str]:
    return {tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()}


def conditional_read(request: HttpRequest, schema: type[Schema], obj: object) -> HttpResponse:
    """The representation with its ETag, or a bodiless 304 when the caller's copy is current."""
    data = representation(schema, obj)
    tag = etag_of(data)
    wanted = _tags(request.headers.get("If-None-Match", ""))
    if tag in wanted or "*" in wanted:
        response = HttpResponse(status=304)
    else:
        response = JsonResponse(data, encoder=DjangoJSONEncoder)
    response["ETag"] = tag
    return response


def check_match(request: HttpRequest, schema: type[Schema], obj: object) -> None:
    """Refuse an update made against a representation that is no longer current (a lost update)."""
    header = request.headers.get("If-Match", "")
    if not header:
        return
    wanted = _tags(header)
    if "*" not in wanted and etag_of(representation(schema, obj)) not in wanted:
        raise HttpError(412, "the resource changed since you read it: read it again (its ETag) and retry")


def with_etag(schema: type[Schema], obj: object) -> HttpResponse:
    data = representation(schema, obj)
    response = JsonResponse(data, encoder=DjangoJSONEncoder)
    response["ETag"] = etag_of(data)
    return response
