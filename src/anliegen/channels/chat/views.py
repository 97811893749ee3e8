"""The demo page: a stand-in for the brand's website with the widget embedded by its one script tag."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.utils import translation
from django.views.decorators.http import require_GET

from anliegen.core.models import Brand


def snippet(brand: Brand) -> str:
    src = settings.BASE_URL + static("anliegen/chat-widget.js")
    return f'<script src="{src}" data-brand="{brand.slug}" defer></script>'


@require_GET
def demo(request: HttpRequest, brand_slug: str) -> HttpResponse:
    brand = get_object_or_404(Brand, slug=brand_slug)
    context = {"brand": brand, "snippet": snippet(brand), "language": translation.get_language()}
    response = render(request, "chat/demo.html", context)
    # The page a brand would serve: scripts and sockets only from here, nothing inline (the widget needs no more).
    response["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data:"
    )
    return response
