"""Signed links to a survey: one per score, so a customer rates with one click from the mail."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Survey

SALT = "anliegen.csat.rate"
MAX_AGE = 60 * 24 * 3600  # a rating two months on tells little


def token(survey: Survey) -> str:
    return signing.dumps({"s": survey.pk, "c": survey.case_id}, salt=SALT, compress=True)


def rate_url(survey: Survey, score: int | None = None) -> str:
    if score is None:
        return settings.BASE_URL + reverse("csat:rate", args=[token(survey)])
    return settings.BASE_URL + reverse("csat:rate_score", args=[token(survey), score])


def survey_from_token(value: str) -> Survey | None:
    try:
        data = signing.loads(value, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:  # tampered or expired alike: no survey
        return None
    return Survey.objects.select_related("case", "brand").filter(pk=data.get("s"), case_id=data.get("c")).first()
