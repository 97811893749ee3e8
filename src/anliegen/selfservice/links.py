"""Public addresses of a brand's self-service pages, for mail and other channels."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from anliegen.core.models import Brand


def status_url(brand: Brand) -> str:
    return settings.BASE_URL + reverse("selfservice:status", args=[brand.slug])
