"""API: the promises of the caller's brands; keep, break or cancel one."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from anliegen.promises import services
from anliegen.promises.models import Promise

from .conditional import conditional_read
from .errors import responses
from .paging import PageQuery, page_of, paginate
from .schemas import Moment, PromiseOut, TextIn
from .scope import Principal, reader, writer

router = Router(tags=["promises"])
PromisePage = page_of(PromiseOut, "PromisePage")


class PromiseFilter(Schema):
    state: Promise.State | None = None
    kind: Promise.Kind | None = None
    case_id: int | None = None
    due_before: Moment | None = None


def _promise(who: Principal, promise_id: int) -> Promise:
    promise = Promise.objects.filter(pk=promise_id, brand_id__in=who.brand_ids).select_related("case__owner").first()
    if promise is None:
        raise HttpError(404, "no such promise")
    return promise


@router.get("", response=responses({200: PromisePage}))
def list_promises(request: HttpRequest, filters: Query[PromiseFilter], page: Query[PageQuery]) -> dict:
    qs = Promise.objects.filter(brand_id__in=reader(request).brand_ids)
    for name in ("state", "kind", "case_id"):
        if getattr(filters, name) is not None:
            qs = qs.filter(**{name: getattr(filters, name)})
    if filters.due_before:
        qs = qs.filter(due_at__lt=filters.due_before)
    return paginate(qs, page)


@router.get("/{promise_id}", response=responses({200: PromiseOut, 304: None}))
def promise_detail(request: HttpRequest, promise_id: int) -> HttpResponse:
    return conditional_read(request, PromiseOut, _promise(reader(request), promise_id))


@router.post("/{promise_id}/keep", response=responses({200: PromiseOut}))
def keep(request: HttpRequest, promise_id: int, data: TextIn) -> Promise:
    who = writer(request)
    promise = _promise(who, promise_id)
    return services.do_keep(promise, who.actor(promise.case), evidence=data.text)


@router.post("/{promise_id}/break", response=responses({200: PromiseOut}))
def break_(request: HttpRequest, promise_id: int, data: TextIn) -> Promise:
    who = writer(request)
    promise = _promise(who, promise_id)
    return services.do_break(promise, who.actor(promise.case), reason=data.text)


@router.post("/{promise_id}/cancel", response=responses({200: PromiseOut}))
def cancel(request: HttpRequest, promise_id: int, data: TextIn) -> Promise:
    who = writer(request)
    promise = _promise(who, promise_id)
    return services.do_cancel(promise, who.actor(promise.case), reason=data.text)
