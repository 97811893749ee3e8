"""Status page readers answered from the cache before Django runs, and reloads answered with 304."""

from __future__ import annotations

import asyncio
import time

import pytest
from asgiref.sync import async_to_sync
from django.core.handlers.asgi import ASGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from anliegen.selfservice.fastpath import StatusFastPath
from anliegen.selfservice.services import incidents


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    # As Django's test client does: a finished request must not close the connection that holds the test's
    # transaction (on PostgreSQL the next query would find it closed).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


class CountingDjango:
    """Django's own ASGI handler (views on this thread, so the test database is seen), counting its calls."""

    def __init__(self) -> None:
        self.handler = ASGIHandler()
        self.calls = 0

    async def __call__(self, scope, receive, send) -> None:
        self.calls += 1
        await self.handler(scope, receive, send)


def get(app, path: str, query: str = "", headers: dict[str, str] | None = None) -> tuple[int, dict, bytes]:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": query.encode(),
        "headers": [(b"host", b"testserver")] + [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
        "client": ("127.0.0.1", 5000),
        "server": ("testserver", 80),
    }
    sent: list[dict] = []
    asked: list[int] = []

    async def receive() -> dict:
        if asked:
            await asyncio.Event().wait()  # no disconnect: Django stops listening once it answered
        asked.append(1)
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        sent.append(message)

    async_to_sync(app)(scope, receive, send)
    start = sent[0]
    names = {k.decode().lower(): v.decode() for k, v in start["headers"]}
    return start["status"], names, b"".join(m.get("body", b"") for m in sent[1:])


def test_second_reader_is_served_without_django_and_with_every_header(outage, django_assert_num_queries):
    django = CountingDjango()
    app = StatusFastPath(django)
    status, first, body = get(app, "/stadtwerk/status/", "lang=de")
    assert status == 200 and "Kein TV-Signal in Hamburg-Nord" in body.decode()
    with django_assert_num_queries(0):
        status, again, cached_body = get(app, "/stadtwerk/status/", "lang=de")
    assert status == 200 and cached_body == body and django.calls == 1
    assert again["content-security-policy"] == first["content-security-policy"]
    assert again["x-frame-options"] == "DENY" and again["etag"] == first["etag"]
    assert "set-cookie" not in again and again["content-length"] == str(len(body))
    # Another language or postcode is another page: Django answers it once.
    status, english, _ = get(app, "/stadtwerk/status/", "lang=en&postcode=22529")
    assert status == 200 and django.calls == 2 and english["content-language"] == "en"
    get(app, "/stadtwerk/status/", "lang=en&postcode=22529")
    assert django.calls == 2


def test_browser_language_picks_the_cached_page_as_django_would(outage):
    django = CountingDjango()
    app = StatusFastPath(django)
    get(app, "/stadtwerk/status/", headers={"Accept-Language": "en-GB,en;q=0.8"})
    status, headers, body = get(app, "/stadtwerk/status/", headers={"Accept-Language": "de-DE,de;q=0.9"})
    assert django.calls == 2 and headers["content-language"] == "de" and 'lang="de"' in body.decode()
    _, _, again = get(app, "/stadtwerk/status/", headers={"Accept-Language": "de-AT"})
    assert django.calls == 2 and again == body


def test_reload_with_etag_or_date_gets_304_until_the_incident_changes(
    outage, agents, django_capture_on_commit_callbacks
):
    app = StatusFastPath(CountingDjango())
    _, first, _ = get(app, "/stadtwerk/status/badge.svg", "lang=en")
    status, headers, body = get(app, "/stadtwerk/status/badge.svg", "lang=en", {"If-None-Match": first["etag"]})
    assert status == 304 and body == b"" and headers["etag"] == first["etag"] and "content-type" not in headers
    assert headers["access-control-allow-origin"] == "*"
    since = {"If-Modified-Since": first["last-modified"]}
    assert get(app, "/stadtwerk/status/badge.svg", "lang=en", since)[0] == 304
    assert get(app, "/stadtwerk/status/badge.svg", "lang=en", {"If-None-Match": '"other"'})[0] == 200
    with django_capture_on_commit_callbacks(execute=True):
        incidents.do_close(outage, agents["claire"], "Behoben.")
    status, _, body = get(app, "/stadtwerk/status/badge.svg", "lang=en", {"If-None-Match": first["etag"]})
    assert status == 200 and "All systems normal" in body.decode()


def test_the_view_alone_answers_conditional_requests(client, outage):
    first = client.get("/stadtwerk/status/feed.atom", {"lang": "de"})
    assert first.status_code == 200 and first["ETag"] and first["Last-Modified"]
    again = client.get("/stadtwerk/status/feed.atom", {"lang": "de"}, headers={"if-none-match": first["ETag"]})
    assert again.status_code == 304


def test_unusual_requests_go_to_django(outage):
    django = CountingDjango()
    app = StatusFastPath(django)
    get(app, "/stadtwerk/status/", "lang=de&utm_source=x")
    get(app, "/stadtwerk/status/", "lang=de&utm_source=x")
    assert django.calls == 2
    assert get(app, "/nobody/status/")[0] == 404 and get(app, "/nobody/status/")[0] == 404
    assert django.calls == 4


def test_a_stale_stamp_sends_one_reader_to_django_the_others_keep_the_held_page(outage, settings):
    from anliegen.selfservice.services import status_cache

    settings.STATUS_STAMP_SECONDS = 0.05
    held = status_cache.version(outage.brand_id)
    status_cache.remember_slug("stadtwerk", outage.brand_id)
    assert status_cache.fresh_version("stadtwerk") == (outage.brand_id, held)
    time.sleep(0.06)
    assert status_cache.fresh_version("stadtwerk") is None  # this reader reads the stamp anew (in the view)
    assert status_cache.fresh_version("stadtwerk") == (outage.brand_id, held)  # meanwhile the others do not wait
    time.sleep(0.06)
    assert status_cache.fresh_version("stadtwerk") is None  # that reader never came back: another one goes
    status_cache.version(outage.brand_id)
    assert status_cache.fresh_version("stadtwerk") == (outage.brand_id, held)
