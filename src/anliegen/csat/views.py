"""The customer's rating page: a score link records the score in one click, the form adds a comment."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from . import links, services

CHOICES = range(1, 6)


@never_cache
@require_http_methods(["GET", "POST"])
def rate(request: HttpRequest, token: str, score: int | None = None) -> HttpResponse:
    survey = links.survey_from_token(token)
    if survey is None:
        raise Http404
    saved = False
    if request.method == "POST":
        try:
            score = int(request.POST.get("score", ""))
        except ValueError:
            score = None
        if score in CHOICES:
            survey = services.do_answer(survey, score, request.POST.get("comment", ""))
            saved = True
    elif score is not None:
        if score not in CHOICES:
            raise Http404
        # One click from the mail. A link checker that opens every score first is corrected by the form.
        if survey.answered_at is None:
            survey = services.do_answer(survey, score)
        saved = True
    with translation.override(survey.case.language or survey.brand.default_language):
        return render(request, "csat/rate.html", {"survey": survey, "choices": CHOICES, "saved": saved})
