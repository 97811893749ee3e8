"""Hostile input is a clear 4xx, never a 500; and a 500 that still happens is logged with its traceback."""

from __future__ import annotations

import io
import json
import logging
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from anliegen.core.nul_bytes import REFUSED
from anliegen.promises.models import Promise
from tests.conftest import PASSWORD
from tests.promises.factories import webform

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(brand, agents):
    return webform(brand, "jana@example.org", "Ausfall", "Der Strom war zwei Tage weg.", "s1")


@pytest.fixture
def anna(agents) -> Client:
    client = Client()
    assert client.login(username="anna", password=PASSWORD)
    return client


@pytest.mark.parametrize(
    "query",
    ["limit=0", "limit=-1", "limit=9223372036854775808", "state=nonsense", f"cursor={'x' * 201}"],
)
def test_out_of_range_list_parameters_are_422(anna, case, query):
    assert anna.get(f"/api/cases?{query}").status_code == 422


def test_bounded_parameters_still_page(anna, case):
    assert [c["id"] for c in anna.get("/api/cases?limit=1&state=open").json()["items"]] == [case.pk]
    assert anna.get("/api/cases?cursor=not-ours").status_code == 400


def test_huge_ids_in_paths_are_404(anna, case):
    assert anna.get("/api/cases/9223372036854775808").status_code in (404, 422)
    assert anna.get("/desk/cases/9223372036854775808/").status_code == 404


@pytest.mark.parametrize(
    "url", ["/api/cases?state=%00", "/desk/search/?q=a%00b", "/desk/queue/?state=%00", "/desk/?after=%00"]
)
def test_nul_in_a_query_string_is_400(anna, case, url):
    response = anna.get(url)
    assert response.status_code == 400 and REFUSED in response.content.decode()


def test_nul_in_api_json_is_400_and_nothing_is_stored(anna, case):
    due = (timezone.now() + timedelta(days=1)).isoformat()
    body = json.dumps({"kind": "custom", "due_at": due, "text": "Gutschrift\x00"})
    response = anna.post(f"/api/cases/{case.pk}/promises", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["detail"] == REFUSED
    note = '{"need": {"credit_max_cents": 100}, "note": "eilig\\u0000"}'
    assert anna.post(f"/api/cases/{case.pk}/escalations", note, content_type="application/json").status_code == 400
    assert not Promise.objects.exists()
    # A backslash the customer really typed is not a NUL.
    plain = json.dumps({"kind": "custom", "due_at": due, "text": "C:\\u0000 Pfad"})
    assert anna.post(f"/api/cases/{case.pk}/promises", plain, content_type="application/json").status_code == 201


def test_nul_in_desk_and_customer_forms_is_400(anna, case, client):
    response = anna.post(f"/desk/cases/{case.pk}/note/", {"text": "intern\x00"})
    assert response.status_code == 400
    form = {"email": "a@example.org", "subject": "Hallo\x00", "text": "Text", "submission": ""}
    assert client.post("/stadtwerk/contact/", form).status_code == 400


def test_a_500_is_logged_with_its_traceback(anna, case, monkeypatch):
    from anliegen.desk import search

    def broken(*args: object, **kwargs: object) -> list:
        raise RuntimeError("search backend exploded")

    monkeypatch.setattr(search.services, "search", broken)
    [handler] = [h for h in logging.getLogger("django.request").handlers if type(h) is logging.StreamHandler]
    monkeypatch.setattr(handler, "stream", io.StringIO())
    anna.raise_request_exception = False
    assert anna.get("/desk/search/?q=Strom").status_code == 500
    logged = handler.stream.getvalue()
    assert "Internal Server Error: /desk/search/" in logged
    assert "Traceback" in logged and "RuntimeError: search backend exploded" in logged
