"""The NinjaAPI instance: session auth with CSRF for agents, clear 4xx for refused actions, OpenAPI at /api/docs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from anliegen.core.services.contacts import ContactError
from anliegen.core.services.escalation import EscalationError
from anliegen.core.services.merge import MergeError
from anliegen.core.services.verification import VerificationError
from anliegen.promises.services import PromiseError

from . import cases, escalations, promises

api = NinjaAPI(
    title="Anliegen API",
    version="1",
    description="Cases, promises and escalations of the brands you work for. Sign in to the desk first.",
    auth=django_auth,
    urls_namespace="api",
    # The docs and the schema are for signed-in agents (others go to the desk's sign-in); the Swagger UI comes
    # from ninja's own static files ("ninja" in INSTALLED_APPS), so the page works offline and without a CDN.
    docs_decorator=login_required,
)


@api.exception_handler(PromiseError)
@api.exception_handler(EscalationError)
@api.exception_handler(MergeError)
@api.exception_handler(ContactError)
@api.exception_handler(VerificationError)
def refused(request: HttpRequest, exc: ValueError) -> HttpResponse:
    # A rule said no: the agent gets the reason, never a 500.
    return api.create_response(request, {"detail": str(exc)}, status=400)


api.add_router("/cases", cases.router)
api.add_router("/promises", promises.router)
api.add_router("/", escalations.router)
