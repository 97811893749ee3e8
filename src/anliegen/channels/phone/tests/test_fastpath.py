"""The routing query beside Django: the same answers as the view, without the request machinery."""

from __future__ import annotations

import asyncio
import json

import pytest
from django.db import OperationalError

from anliegen.channels.phone import fastpath, query

from .conftest import NUMBER

# The fast path reads on threads of its own, with their own database connections: the rows must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


def scope(path: str, query_string: bytes = b"", method: str = "GET") -> dict:
    return {"type": "http", "method": method, "path": path, "query_string": query_string, "headers": []}


def call(path: str, query_string: bytes = b"", method: str = "GET", body: bytes = b"") -> tuple[int, dict, bytes]:
    passed = []

    async def django(scope, receive, send):  # noqa: ANN001, ANN202
        passed.append(scope["path"])

    app = fastpath.PhoneRouteFastPath(django)
    sent: list[dict] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    asyncio.run(app(scope(path, query_string, method), receive, send))
    if passed:
        return 0, {}, b""
    return sent[0]["status"], dict(sent[0]["headers"]), sent[1]["body"]


def test_which_requests_take_the_fast_path():
    key = "stadtwerk.t0k"
    assert fastpath.takes(scope(f"/channels/phone/route/{key}/", b"from=1")) == key
    assert fastpath.takes(scope(f"/channels/phone/route/{key}/", b"format=lines&from=1")) == key
    assert fastpath.takes(scope(f"/channels/phone/route/{key}/", b"format=json", "POST")) == key
    assert fastpath.takes(scope(f"/channels/phone/route/{key}/", b"format=twiml")) is None  # signed: Django
    assert fastpath.takes(scope(f"/channels/phone/route/{key}/", b"", "POST")) is None  # format may be in the body
    assert fastpath.takes(scope(f"/channels/phone/route/{key}/", b"", "PUT")) is None
    assert fastpath.takes(scope("/desk/", b"")) is None


def test_the_fast_path_answers_as_the_view_does(client, line, caller_case, agents):
    path = f"/channels/phone/route/{line.brand.slug}.{line.token}/"
    status, headers, body = call(path, f"from={NUMBER}".encode())
    assert status == 200 and headers[b"content-type"] == b"application/json"
    answer = json.loads(body)
    assert (answer["reason"], answer["extension"], answer["case"]) == ("owner", "202", caller_case.pk)
    assert answer == client.get(path, {"from": NUMBER}).json()
    status, headers, body = call(path, b"format=lines", "POST", f"from={NUMBER}".encode())
    assert status == 200 and b"extension=202\n" in body and headers[b"content-type"].startswith(b"text/plain")


def test_the_fast_path_refuses_like_the_view(line, agents):
    assert call(f"/channels/phone/route/{line.brand.slug}.wrong/", b"from=1")[0] == 401
    status, _headers, body = call(f"/channels/phone/route/{line.brand.slug}.{line.token}/")
    assert status == 400 and json.loads(body)["field"] == "from"
    status, _headers, body = call(f"/channels/phone/route/{line.brand.slug}.{line.token}/", b"format=json", "POST",
                                  b"x" * (fastpath.MAX_BODY + 1))  # fmt: skip
    assert status == 413
    assert call(f"/channels/phone/route/{line.brand.slug}.{line.token}/", b"format=twiml") == (0, {}, b"")


def test_a_lost_database_connection_is_retried_once_then_503(monkeypatch, line, agents):
    real = query.answer
    failures = []

    def flaky(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        if len(failures) < limit:
            failures.append(1)
            raise OperationalError("server closed the connection unexpectedly")
        return real(*args, **kwargs)

    monkeypatch.setattr(query, "answer", flaky)
    path = f"/channels/phone/route/{line.brand.slug}.{line.token}/"
    limit = 1
    assert call(path, f"from={NUMBER}".encode())[0] == 200
    failures.clear()
    limit = 2
    assert call(path, f"from={NUMBER}".encode())[0] == 503
