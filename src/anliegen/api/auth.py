"""The API's two doors: an integration's bearer token (rate-limited per token) or an agent's desk session."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from asgiref.sync import iscoroutinefunction
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import sync_and_async_middleware
from ninja.security import HttpBearer, django_auth

from anliegen.audit import services as audit
from anliegen.integrations import tokens
from anliegen.integrations.models import Integration

from .errors import problem


class IntegrationToken(HttpBearer):
    """`Authorization: Bearer ait_…`; a wrong token is a 401 and a spent rate a 429 (raised, never a fallback)."""

    openapi_description = "An integration's token (anliegen integration create)."

    def authenticate(self, request: HttpRequest, token: str) -> Integration:
        integration = tokens.check(token)
        audit.acting_integration(integration.name, integration.prefix)  # the token is who acts, in the audit log
        return integration


@sync_and_async_middleware
def audit_scope(get_response: Callable) -> Callable:
    """Middleware: what an integration's token does in a request is audited as that token's, and only there."""
    if iscoroutinefunction(get_response):

        async def middleware_async(request: HttpRequest) -> HttpResponse:
            with audit.request_scope():
                return await get_response(request)

        return middleware_async

    def middleware(request: HttpRequest) -> HttpResponse:
        with audit.request_scope():
            return get_response(request)

    return middleware


# Tried in order: a request with a bearer token never falls back to a session.
AUTH = [IntegrationToken(), django_auth]


def docs_access(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """The docs and the schema: for signed-in agents (others go to the sign-in) and valid integration tokens."""
    signed_in = login_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        scheme, _, token = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer":
            return signed_in(request, *args, **kwargs)
        try:
            tokens.check(token.strip())
        except tokens.TokenRefused as exc:
            return problem(401, str(exc))
        except tokens.RateLimited as exc:
            response = problem(429, str(exc))
            response["Retry-After"] = str(exc.retry_after)
            return response
        return view(request, *args, **kwargs)

    return wrapper
