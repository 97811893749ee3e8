"""Test helpers for channel adapters: feed a channel's fixture files through its webhook door.

    from anliegen.channels.testing import feed_fixtures, fixture_dir

    responses = feed_fixtures(client, "telegram", sign=lambda body: {"X-Telegram-Bot-Api-Secret-Token": "s3cret"})
    assert all(r.status_code == 200 for r in responses.values())

Only tests import this module.
"""

from __future__ import annotations

import mimetypes
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import import_module
from pathlib import Path

from django.test import Client, override_settings
from django.urls import include, path, reverse

from . import registry

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
    urlconf.urlpatterns = [*registry.url_patterns(), path("", include("anliegen.urls"))]
    try:
        with override_settings(ROOT_URLCONF=urlconf):
            yield spec
    finally:
        if before is None:
            registry.CHANNELS.pop(spec.name, None)
        else:
            registry.CHANNELS[spec.name] = before
