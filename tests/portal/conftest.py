"""Portal fixtures: a clean rate-limit cache per test and a helper that sends the contact form."""

from __future__ import annotations

import uuid

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def form_data(**overrides: object) -> dict:
    data = {
        "name": "Jana Krüger",
        "email": "jana@example.org",
        "phone": "",
        "subject": "Fernseher schwarz",
        "text": "Seit heute Abend ist mein Fernseher schwarz, kein Signal. Bitte helfen Sie mir.",
        "website": "",
        "submission": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


@pytest.fixture
def send_form(client: Client):
    """POST the brand's contact form; returns the response (not followed)."""

    def send(brand_slug: str = "stadtwerk", client: Client = client, **overrides: object):
        return client.post(reverse("portal:form", args=[brand_slug]), form_data(**overrides))

    return send
