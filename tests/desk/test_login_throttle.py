"""Sign-in throttling on the desk and the admin, HTTPS settings, and the data directory's file modes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def throttled(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3


@pytest.mark.parametrize("url", ["/desk/login/", "/admin/login/"])
def test_wrong_passwords_pause_that_name_from_that_address(throttled, agents, url, settings):
    get_user_model().objects.filter(username="anna").update(is_staff=True)
    client = Client()
    for _attempt in range(2):
        assert client.post(url, {"username": "anna", "password": "wrong"}).status_code == 200
    assert client.post(url, {"username": "anna", "password": "wrong"}).status_code == 429  # the third
    locked = client.post(url, {"username": "anna", "password": PASSWORD})  # even the right one waits now
    assert locked.status_code == 429 and "Too many wrong passwords" in locked.content.decode()
    assert int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()  # when to try again
    # Someone guessing at her name from elsewhere cannot lock her out.
    other = Client(REMOTE_ADDR="10.9.8.7")
    assert other.post(url, {"username": "anna", "password": PASSWORD}).status_code == 302


def test_a_right_password_resets_the_count(throttled, agents):
    client = Client()
    for _attempt in range(2):
        client.post(reverse("desk:login"), {"username": "ben", "password": "wrong"})
    assert client.post(reverse("desk:login"), {"username": "ben", "password": PASSWORD}).status_code == 302
    client.logout()
    for _attempt in range(2):
        assert client.post(reverse("desk:login"), {"username": "ben", "password": "wrong"}).status_code == 200
    assert client.post(reverse("desk:login"), {"username": "ben", "password": PASSWORD}).status_code == 302


def test_a_request_without_a_peer_address_can_still_sign_in(throttled, agents):
    """Behind a Unix socket there is no REMOTE_ADDR; the throttle keys such sign-ins on the name alone."""
    client = Client(REMOTE_ADDR="")
    assert client.post(reverse("desk:login"), {"username": "ben", "password": "wrong"}).status_code == 200
    assert client.post(reverse("desk:login"), {"username": "ben", "password": PASSWORD}).status_code == 302
    Client().force_login(get_user_model().objects.get(username="anna"))  # a signal without any request address


def test_pages_carry_a_policy_without_inline_script(client, brand):
    response = client.get("/stadtwerk/contact/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy and "frame-ancestors 'none'" in policy
    html = response.content.decode()
    assert "<script>" not in html and " onchange=" not in html and " onclick=" not in html


def _deploy_check(env: dict[str, str], tmp_path) -> str:
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ANLIEGEN_")}
    environ |= {"ANLIEGEN_DATA_DIR": str(tmp_path), "ANLIEGEN_ALLOWED_HOSTS": "support.example.net"} | env
    environ.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-m", "anliegen", "check", "--deploy"], env=environ, capture_output=True, text=True
    )
    return done.stdout + done.stderr


@pytest.mark.slow
def test_https_setting_clears_the_deploy_warnings(tmp_path):
    plain = _deploy_check({}, tmp_path / "plain")
    assert all(w in plain for w in ("security.W004", "security.W008", "security.W012", "security.W016"))
    https = _deploy_check({"ANLIEGEN_HTTPS": "1", "ANLIEGEN_TRUSTED_PROXY": "1"}, tmp_path / "https")
    assert not any(w in https for w in ("security.W004", "security.W008", "security.W012", "security.W016")), https


# The production environment of docs/security.md ("Production settings").
PRODUCTION = {
    "ANLIEGEN_HTTPS": "1",
    "ANLIEGEN_TRUSTED_PROXY": "1",
    "ANLIEGEN_HSTS_PRELOAD": "1",
    "ANLIEGEN_SECRET_KEY": "k3Qv9-Zr_h2LxT0pWb7sY1nUe5cJ8aFgDdMiRoKqEwVtHyBjXlNzCuPfGsA4-6Z",
    "ANLIEGEN_ALLOWED_HOSTS": "support.example.net",
    "ANLIEGEN_BASE_URL": "https://support.example.net",
    "ANLIEGEN_CSRF_TRUSTED_ORIGINS": "https://support.example.net",
}


@pytest.mark.slow
def test_production_settings_pass_the_deploy_check_without_a_warning(tmp_path):
    done = _deploy_check(PRODUCTION, tmp_path / "production")
    assert "System check identified no issues" in done and "WARNINGS" not in done, done
    # Each HSTS part is the operator's to leave out, and Django then says so.
    without = _deploy_check(PRODUCTION | {"ANLIEGEN_HSTS_INCLUDE_SUBDOMAINS": "0"}, tmp_path / "no-subdomains")
    assert "security.W005" in without and "security.W021" not in without
    assert "security.W021" in _deploy_check(PRODUCTION | {"ANLIEGEN_HSTS_PRELOAD": "0"}, tmp_path / "no-preload")


@pytest.mark.slow
def test_secret_key_and_database_are_private_to_the_owner(tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ANLIEGEN_") and k != "DATABASE_URL"}
    environ["ANLIEGEN_DATA_DIR"] = str(tmp_path)
    migrate = [sys.executable, "-m", "anliegen", "migrate", "--verbosity", "0"]
    subprocess.run(migrate, env=environ, check=True, capture_output=True)
    for name in ("secret_key", "anliegen.sqlite3"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name
