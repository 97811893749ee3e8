"""The API's two doors: an integration's bearer token (rate-limited per token) or an agent's desk session."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from ninja.security import HttpBearer, django_auth

from anliegen.integrations import tokens
from anliegen.integrations.models import Integration

from .errors import problem


class IntegrationToken(HttpBearer):
    """`Authorization: Bearer ait_…`; a wrong token is a 401 and a spent rate a 429 (raised, never a fallback)."""

    openapi_description = "An integration's token (anliegen integration create)."

    def authenticate(self, request: HttpRequest, token: str) -> Integration:
        return tokens.check(token)


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
