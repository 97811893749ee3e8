"""Agent desk views (placeholder, replaced by the desk work)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    return HttpResponse("desk")
