"""/api/docs: for signed-in agents only, and complete without a CDN (every script and style from here)."""

from __future__ import annotations

import re

from django.test import Client

from tests.conftest import PASSWORD


def test_docs_and_schema_need_a_signed_in_agent(db):
    for url in ("/api/docs", "/api/openapi.json"):
        response = Client().get(url)
        assert response.status_code == 302 and response["Location"].startswith("/desk/login/"), url


def test_docs_are_served_from_here(agents):
    client = Client()
    assert client.login(username="anna", password=PASSWORD)
    page = client.get("/api/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css))"', html)
    assert assets, html
    for asset in assets:
        assert asset.startswith("/static/"), asset
        assert client.get(asset).status_code == 200, asset
    assert "cdn" not in html.lower() and "unpkg" not in html
    assert client.get("/api/openapi.json").json()["info"]["title"] == "Anliegen API"
