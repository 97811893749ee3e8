"""Test helpers for channel adapters: feed fixture files through the webhook door; stand in for the provider.

    from anliegen.channels.testing import feed_fixtures, fixture_dir

    responses = feed_fixtures(client, "telegram", sign=lambda body: {"X-Telegram-Bot-Api-Secret-Token": "s3cret"})
    assert all(r.status_code == 200 for r in responses.values())

`Provider` (below) is a local HTTP server standing in for a provider's API. Only tests import this module.
"""

from __future__ import annotations

import json
import mimetypes
import re
import socket
import threading
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import import_module
from pathlib import Path
from urllib.parse import parse_qs

from django.test import Client, override_settings
from django.urls import include, path, reverse

from . import registry
from . import urls as channel_urls

Sign = Callable[[bytes], dict[str, str]]


def fixture_dir(channel: str) -> Path:
    """channels/<name>/fixtures/: beside the module of the channel's parser."""
    module = import_module(registry.spec(channel).parse.rpartition(".")[0])
    return Path(module.__file__).resolve().parent / "fixtures"


def webhook_url(channel: str, key: str = "") -> str:
    return reverse(f"{channel}-webhook", kwargs={"key": key} if key else {})


def post_fixture(
    client: Client,
    channel: str,
    name: str | Path,
    *,
    key: str = "",
    sign: Sign | None = None,
    headers: dict[str, str] | None = None,
    content_type: str = "",
):  # noqa: ANN201 - Django's test response
    """POST one fixture file (a path, or a name inside the channel's fixtures/) to the channel's webhook door."""
    file = name if isinstance(name, Path) else fixture_dir(channel) / name
    body = file.read_bytes()
    content_type = content_type or mimetypes.guess_type(file.name)[0] or "application/octet-stream"
    sent = {**(sign(body) if sign else {}), **(headers or {})}
    return client.post(webhook_url(channel, key), data=body, content_type=content_type, headers=sent)


def feed_fixtures(client: Client, channel: str, pattern: str = "*.json", **options: object) -> dict[str, object]:
    """POST every fixture file matching `pattern`, in name order; returns each file's response by name."""
    files = sorted(fixture_dir(channel).glob(pattern))
    if not files:
        raise FileNotFoundError(f"no fixtures {pattern} in {fixture_dir(channel)}")
    return {file.name: post_fixture(client, channel, file, **options) for file in files}


@contextmanager
def registered(spec: registry.ChannelSpec) -> Iterator[registry.ChannelSpec]:
    """Register a channel for the duration of a test, its URLs mounted as the real URLconf would mount them."""
    before = registry.CHANNELS.get(spec.name)
    registry.CHANNELS[spec.name] = spec
    urlconf = types.ModuleType(f"anliegen.channels.testing.urls_{spec.name}")
    urlconf.urlpatterns = [*channel_urls.url_patterns(), path("", include("anliegen.urls"))]
    try:
        with override_settings(ROOT_URLCONF=urlconf):
            yield spec
    finally:
        if before is None:
            registry.CHANNELS.pop(spec.name, None)
        else:
            registry.CHANNELS[spec.name] = before


# A provider's HTTP API on localhost (Graph API, Bot API, Twilio...): adapters' senders, media downloads and
# credential checks talk to it exactly as to the real one; the test scripts its answers and reads its requests.


@dataclass(frozen=True)
class Answer:
    """One scripted response. `drop` closes the connection without answering (a provider that went away)."""

    status: int = 200
    json: object = None
    body: bytes = b""
    content_type: str = ""
    headers: dict[str, str] = field(default_factory=dict)
    drop: bool = False

    def payload(self) -> tuple[bytes, str]:
        if self.json is not None:
            return json.dumps(self.json).encode(), self.content_type or "application/json"
        return self.body, self.content_type or "application/octet-stream"


@dataclass(frozen=True)
class Request:
    """One request the stand-in received, as it arrived."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body or b"null")

    def form(self) -> dict[str, list[str]]:
        return parse_qs(self.body.decode(), keep_blank_values=True)


class Provider:
    """A threaded HTTP server that records every request and answers each route from a script.

        with Provider() as api:
            api.on("POST", "/v21.0/123/messages", Answer(503), Answer(json={"messages": [{"id": "wamid.1"}]}))
            settings.WHATSAPP_GRAPH_URL = api.url
            ...
            assert api.requests[0].json()["to"] == "491701234567"

    Routes match method and path exactly, or `path` as a regular expression when it starts with "^". A route's
    answers are given out in order and the last one repeats; an unscripted request gets 404 (and is recorded).
    """

    def __init__(self) -> None:
        self.requests: list[Request] = []
        self._routes: list[tuple[str, str, list[Answer]]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="provider-stand-in", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def on(self, method: str, path: str, *answers: Answer) -> Provider:
        """Script a route (replacing an earlier script for the same route)."""
        with self._lock:
            self._routes = [r for r in self._routes if r[:2] != (method, path)]
            self._routes.append((method, path, list(answers) or [Answer()]))
        return self

    def received(self, method: str = "", path: str = "") -> list[Request]:
        """The requests so far, those of one method and/or path (a "^" pattern) only when given."""
        with self._lock:
            seen = list(self.requests)
        return [r for r in seen if (not method or r.method == method) and (not path or _matches(path, r.path))]

    def start(self) -> Provider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> Provider:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _answer(self, request: Request) -> Answer:
        with self._lock:
            self.requests.append(request)
            for method, path, answers in self._routes:
                if method == request.method and _matches(path, request.path):
                    return answers.pop(0) if len(answers) > 1 else answers[0]
        return Answer(404, json={"error": f"no route {request.method} {request.path}"})

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        provider = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _serve(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                path, _q, query = self.path.partition("?")
                request = Request(
                    self.command, path, parse_qs(query), dict(self.headers.items()), self.rfile.read(length)
                )
                answer = provider._answer(request)
                if answer.drop:
                    self.close_connection = True
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                body, content_type = answer.payload()
                self.send_response(answer.status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = do_PUT = do_DELETE = _serve  # noqa: N815 - http.server's names

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
                pass  # the test reads `requests`; stderr stays quiet

        return Handler


def _matches(pattern: str, path: str) -> bool:
    return re.fullmatch(pattern, path) is not None if pattern.startswith("^") else pattern == path
