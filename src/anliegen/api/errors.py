"""One error body for every refusal: {"status", "code", "detail", "errors"}, documented on every operation."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from anliegen.core.services.contacts import ContactError
from anliegen.core.services.escalation import EscalationError
from anliegen.core.services.merge import MergeError
from anliegen.core.services.verification import VerificationError
from anliegen.integrations.tokens import RateLimited, TokenRefused
from anliegen.promises.services import PromiseError

CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    409: "conflict",
    412: "precondition_failed",
    422: "invalid",
    429: "rate_limited",
}
# Every status an operation may answer with besides its success: schemathesis holds the API to this list.
ERRORS = frozenset(CODES)


class Problem(Schema):
    status: int
    code: str
    detail: str
    errors: list[dict] = []


def body(status: int, detail: str, errors: list | None = None) -> dict:
    return {"status": status, "code": CODES.get(status, "error"), "detail": detail, "errors": errors or []}


def problem(status: int, detail: str, errors: list | None = None) -> JsonResponse:
    return JsonResponse(body(status, detail, errors), status=status)


def install(api: NinjaAPI) -> None:
    """Every refusal the API can make, in the one shape."""

    def answer(request: HttpRequest, status: int, detail: str, errors: list | None = None) -> HttpResponse:
        return api.create_response(request, body(status, detail, errors), status=status)

    @api.exception_handler(PromiseError)
    @api.exception_handler(EscalationError)
    @api.exception_handler(MergeError)
    @api.exception_handler(ContactError)
    @api.exception_handler(VerificationError)
    def refused(request: HttpRequest, exc: ValueError) -> HttpResponse:
        # A rule said no: the caller gets the reason, never a 500.
        return answer(request, 400, str(exc))

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        return answer(request, exc.status_code, str(exc))

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        return answer(request, 422, "the request does not match the schema", _plain(exc.errors))

    @api.exception_handler(Http404)
    def missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        return answer(request, 404, "not found")

    @api.exception_handler(TokenRefused)
    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: Exception) -> HttpResponse:
        detail = str(exc) if isinstance(exc, TokenRefused) else "sign in to the desk or send an integration token"
        response = answer(request, 401, detail)
        response["WWW-Authenticate"] = 'Bearer realm="anliegen"'
        return response

    @api.exception_handler(AuthorizationError)
    def forbidden(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
        return answer(request, 403, str(exc) or "forbidden")

    @api.exception_handler(RateLimited)
    def too_many(request: HttpRequest, exc: RateLimited) -> HttpResponse:
        response = answer(request, 429, str(exc))
        response["Retry-After"] = str(exc.retry_after)
        return response


def _plain(errors: list) -> list[dict]:
    # Pydantic's error entries may carry exception objects in "ctx"; the body is JSON, so only plain fields.
    return [
        {"loc": list(e.get("loc", [])), "msg": str(e.get("msg", "")), "type": str(e.get("type", ""))} for e in errors
    ]


def responses(success: dict) -> dict:
    """An operation's documented answers: its success and every error in the one shape."""
    return {**success, ERRORS: Problem}
