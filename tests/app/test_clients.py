"""The report clients against a running server (uvicorn, the real ASGI app): Python, and JS when Node is there."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from anliegen.channels.app import keys
from anliegen.core.models import Case
from anliegen.core.services import case_updates
from tests.desk.test_browser import asgi_server  # noqa: F401 - the real ASGI app under uvicorn

CLIENTS = Path(__file__).resolve().parents[2] / "clients"
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def client_module(monkeypatch):
    monkeypatch.syspath_prepend(str(CLIENTS / "python"))
    import anliegen_client

    return anliegen_client


def test_python_client_reports_polls_and_reads_errors(client_module, asgi_server, settings, brand, agents):  # noqa: F811
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    settings.BASE_URL = asgi_server
    key = keys.issue(brand, "test app")[1]
    client = client_module.ReportClient(asgi_server, brand.slug, key)
    confirmation = client.report(
        report_id="py-1",
        user_id="u-1",
        text="Absturz beim Login",
        app_version="3.2.1",
        screenshot=b"\x89PNG\r\n\x1a\n1",
    )
    case = Case.objects.select_related("owner").get()
    assert confirmation["owner"]["name"] == case.owner.name and confirmation["state"] == "processed"
    case_updates.reply(case, case.owner, "Ist in 3.2.2 behoben.", None, "waiting")
    answer = client.poll(confirmation["poll_url"])
    assert [m["text"] for m in answer["messages"] if m["from"] == "agent"] == ["Ist in 3.2.2 behoben."]
    with pytest.raises(client_module.ReportError) as refused:
        client_module.ReportClient(asgi_server, brand.slug, "ak_wrong_key").report(user_id="u", text="t")
    assert (refused.value.status, refused.value.code) == (401, "unauthorized")
    with pytest.raises(client_module.ReportError) as invalid:
        client.report(user_id="u", text="")
    assert invalid.value.status == 400 and invalid.value.body["errors"][0]["field"] == "text"


@pytest.mark.skipif(shutil.which("node") is None, reason="Node.js is not installed")
def test_js_client_against_the_server(asgi_server, settings, brand, agents):  # noqa: F811
    settings.ALLOWED_HOSTS = ["127.0.0.1", "testserver"]
    settings.BASE_URL = asgi_server
    key = keys.issue(brand, "test app")[1]
    env = os.environ | {"ANLIEGEN_URL": asgi_server, "ANLIEGEN_BRAND": brand.slug, "ANLIEGEN_KEY": key}
    result = subprocess.run(
        ["node", "--test", str(CLIENTS / "js" / "test.mjs")], env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert Case.objects.filter(subject="Crash beim Start").count() == 1
