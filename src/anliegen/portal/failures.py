"""Friendly pages for a refused form (missing or stale CSRF token): what happened, and nothing typed is lost."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import REASON_NO_CSRF_COOKIE
from django.shortcuts import render
from django.urls import Resolver404, resolve

from anliegen.core import case_links as links
from anliegen.core.models import Brand

from . import urls
from .forms import ContactForm, ReplyForm, nonce

# Typed values handed back into the form; files cannot be (browsers never prefill them), the honeypot must not be.
_KEEP = ("name", "email", "phone", "subject", "text", "submission")


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a calm 403; a refused customer form comes back with everything typed still in it."""
    cookies_blocked = reason == REASON_NO_CSRF_COOKIE
    try:
        match = resolve(request.path_info)
    except Resolver404:
        match = None
    if request.method == "POST" and match is not None and match.namespace == urls.app_name:
        if match.url_name == "form":
            brand = Brand.objects.filter(slug=match.kwargs.get("brand_slug")).first()
            if brand is not None:
                return _form_again(request, brand, cookies_blocked)
        if match.url_name == "case":
            try:
                case = links.case_from_token(match.kwargs["token"])
            except links.LinkError:
                case = None
            if case is not None:
                return _reply_again(request, case, match.kwargs["token"], cookies_blocked)
    return render(request, "portal/csrf_failure.html", {"cookies_blocked": cookies_blocked}, status=403)


def _form_again(request: HttpRequest, brand: Brand, cookies_blocked: bool) -> HttpResponse:
    from .views import render_form

    initial = {k: request.POST.get(k, "") for k in _KEEP}
    initial["submission"] = nonce(initial["submission"])
    form = ContactForm(initial=initial)
    return render_form(request, brand, form, status=403, csrf_refused=True, cookies_blocked=cookies_blocked)


def _reply_again(request: HttpRequest, case: object, token: str, cookies_blocked: bool) -> HttpResponse:
    from .case_page import render_case

    form = ReplyForm(
        initial={"text": request.POST.get("text", ""), "submission": nonce(request.POST.get("submission"))}
    )
    return render_case(request, case, token, form, status=403, csrf_refused=True, cookies_blocked=cookies_blocked)
