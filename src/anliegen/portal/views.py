"""Customer pages (placeholder views, replaced by the portal work)."""

from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Anliegen")


def case_page(request: HttpRequest, token: str) -> HttpResponse:
    return HttpResponse(status=404)
