"""API: keep, break or cancel a promise of the agent's brands."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router
from ninja.errors import HttpError

from anliegen.promises import services
from anliegen.promises.models import Promise

from .schemas import Problem, PromiseOut, TextIn
from .scope import agent_of, brand_ids

router = Router(tags=["promises"])


def _promise(request: HttpRequest, promise_id: int) -> tuple[object, Promise]:
    agent = agent_of(request)
    promise = Promise.objects.filter(pk=promise_id, brand_id__in=brand_ids(agent)).first()
    if promise is None:
        raise HttpError(404, "no such promise")
    return agent, promise


@router.get("/{promise_id}", response=PromiseOut)
def promise_detail(request: HttpRequest, promise_id: int) -> Promise:
    return _promise(request, promise_id)[1]


@router.post("/{promise_id}/keep", response={200: PromiseOut, 400: Problem})
def keep(request: HttpRequest, promise_id: int, data: TextIn) -> Promise:
    agent, promise = _promise(request, promise_id)
    return services.do_keep(promise, agent, evidence=data.text)


@router.post("/{promise_id}/break", response={200: PromiseOut, 400: Problem})
def break_(request: HttpRequest, promise_id: int, data: TextIn) -> Promise:
    agent, promise = _promise(request, promise_id)
    return services.do_break(promise, agent, reason=data.text)


@router.post("/{promise_id}/cancel", response={200: PromiseOut, 400: Problem})
def cancel(request: HttpRequest, promise_id: int, data: TextIn) -> Promise:
    agent, promise = _promise(request, promise_id)
    return services.do_cancel(promise, agent, reason=data.text)
