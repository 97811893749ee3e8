"""Schemathesis against the API's own OpenAPI schema, with an integration token and as a signed-in agent: no
generated request gets a 5xx, and every answer matches the schema (status code, content type, body, headers).

Runs as its own CI step (ANLIEGEN_SCHEMATHESIS=1, .ci/run) so the ordinary suite stays quick; each API
operation gets ANLIEGEN_SCHEMATHESIS_EXAMPLES generated requests, valid and invalid ones.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client
from django.utils.crypto import get_random_string
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from anliegen.integrations import tokens
from tests.conftest import PASSWORD
from tests.promises.factories import webform

pytestmark = pytest.mark.slow
ENABLED = bool(os.environ.get("ANLIEGEN_SCHEMATHESIS"))
EXAMPLES = int(os.environ.get("ANLIEGEN_SCHEMATHESIS_EXAMPLES", "25"))


def _schema() -> schemathesis.schemas.BaseSchema:
    """The API's schema read from the app itself (no server, no database), called through its WSGI handler.

    Not fetched from /api/openapi.json: that is for signed-in agents and integration tokens only.
    """
    app = get_wsgi_application()
    from anliegen.api.api import api

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api"))
    loaded.app = app
    loaded.location = "/api/openapi.json"
    return loaded


schema = _schema() if ENABLED else None


CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture(params=["token", "session"])
def signed_in(request, brand, agents, other_brand) -> Iterator[dict[str, str]]:
    """An integration's token with every scope, or Anna's desk session with a CSRF token as the desk sends it."""
    webform(brand, "jana@example.org", "Ausfall", "Der Strom war zwei Tage weg.", "s1")
    webform(other_brand, "kunde@example.org", "Fernseher", "Kein Bild", "k1")  # ids the caller must not reach
    if request.param == "token":
        _, token = tokens.issue("Schemathesis", [brand], ["read", "write", "admin"], rate_limit="100000/m")
        headers = {"Authorization": f"Bearer {token}"}
    else:
        client = Client()
        assert client.login(username="anna", password=PASSWORD)
        csrf = get_random_string(32)
        session = client.cookies["sessionid"].value
        headers = {"Cookie": f"sessionid={session}; csrftoken={csrf}", "X-CSRFToken": csrf}
    # The generated requests must get past sign-in and CSRF, or they test only the 401 and 403.
    probe = Client(enforce_csrf_checks=True, headers=headers)
    assert probe.get("/api/cases").status_code == 200
    assert probe.post("/api/cases/1/messages", "{}", content_type="application/json").status_code == 422
    # The bare WSGI app closes the database connection after each request (the test client, used above, only
    # pauses that); the test's transaction needs it open.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield headers
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


if ENABLED:

    @pytest.mark.django_db
    @schema.parametrize()
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def test_no_server_error(case, signed_in) -> None:  # noqa: ANN001 - schemathesis' Case
        case.call_and_validate(headers=signed_in, checks=CHECKS)

else:

    def test_no_server_error() -> None:
        pytest.skip("the CI step sets ANLIEGEN_SCHEMATHESIS=1")
