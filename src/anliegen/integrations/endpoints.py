"""Adding and removing a brand's webhook endpoints (the admin's form and the API's admin scope)."""

from __future__ import annotations

import secrets

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from anliegen.core.models import Brand

from . import targets
from .events import EVENTS
from .models import WebhookEndpoint


class EndpointError(ValueError):
    """An endpoint that cannot be set up as asked; the message says why."""


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def check_create(brand: Brand, url: str, events: list[str]) -> WebhookEndpoint:
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError as exc:
        raise EndpointError(f"not an http(s) URL: {url[:80]!r}") from exc
    try:
        targets.check(url)
    except targets.TargetRefused as exc:
        raise EndpointError(str(exc)) from exc
    unknown = sorted(set(events) - set(EVENTS))
    if unknown:
        raise EndpointError(f"unknown events {', '.join(unknown)} (known: {', '.join(EVENTS)})")
    return WebhookEndpoint.objects.create(brand=brand, url=url, secret=new_secret(), events=sorted(set(events)))
