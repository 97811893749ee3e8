"""Pages people meet besides the form: branded 404/403/500 in both languages, Retry-After, the favicon, the
incident named on the thanks page."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client, override_settings
from django.urls import path
from django.utils import timezone

from anliegen.core.models import Incident
from anliegen.urls import urlpatterns as product_urls

from .conftest import form_data

pytestmark = pytest.mark.django_db


def refuse(request):
    raise PermissionDenied


def fail(request):
    raise RuntimeError("broken on purpose")


urlpatterns = [path("test/refuse/", refuse), path("test/fail/", fail), *product_urls]


@pytest.mark.parametrize(
    "language, words",
    [
        ("de", ("Seite nicht gefunden", "Nicht erlaubt", "Etwas ist schiefgegangen")),
        ("en", ("Page not found", "Not allowed", "Something went wrong")),
    ],
)
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_error_pages_are_ours_in_both_languages(language, words):
    client = Client(HTTP_ACCEPT_LANGUAGE=language, raise_request_exception=False)
    for url, status, word in zip(
        ("/nowhere/at/all/", "/test/refuse/", "/test/fail/"), (404, 403, 500), words, strict=True
    ):
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == status
        assert f'<html lang="{language}">' in html and word in html, (url, html[:500])
        assert "anliegen.css" in html and "favicon.svg" in html
        assert "Not Found" not in html and "Server Error (500)" not in html


def test_favicon(client):
    response = client.get("/favicon.ico")
    assert response.status_code in (301, 302)
    icon = client.get(response["Location"])
    assert icon.status_code == 200 and b"<svg" in b"".join(icon.streaming_content)
    assert 'rel="icon"' in client.get("/").content.decode()


def test_a_rate_limited_form_says_when_to_come_back(client, brand, agents, settings):
    settings.FORM_RATE_LIMIT = "2/h"
    for n in range(2):
        assert client.post(f"/{brand.slug}/contact/", form_data(email=f"k{n}@example.org")).status_code == 302
    refused = client.post(f"/{brand.slug}/contact/", form_data(email="k9@example.org"))
    assert refused.status_code == 429
    assert 0 < int(refused["Retry-After"]) <= 3600


def test_the_thanks_page_names_the_active_incident(client, send_form, brand, agents):
    incident = Incident.objects.create(
        brand=brand,
        title="Kein TV-Signal in Hamburg-Nord",
        keywords=["fernseher schwarz"],
        starts_at=timezone.now(),
    )
    page = client.get(send_form()["Location"]).content.decode()
    assert "Kein TV-Signal in Hamburg-Nord" in page
    incident.state = Incident.State.RESOLVED
    incident.save()
    page = client.get(send_form(email="other@example.org")["Location"]).content.decode()
    assert "Kein TV-Signal" not in page
