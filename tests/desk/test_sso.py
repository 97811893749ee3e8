"""Single sign-on through OpenID Connect, end to end against a local identity provider (tests/desk/oidc_provider.py):
the desk's login button, discovery, the authorize redirect, the token exchange with a signed id_token, userinfo,
and the agent found by verified e-mail, never made."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import requests
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from anliegen.core.models import Agent
from anliegen.desk.signin import two_factor
from tests.conftest import PASSWORD

from . import oidc_provider
from .conftest import client_for
from .test_two_factor import _no_device_throttle, enrol, totp  # noqa: F401 - its fixture too

pytestmark = pytest.mark.django_db

ANNA = {"sub": "u-1001", "email": "Anna@Stadtwerk.example", "email_verified": True, "name": "Anna Schmidt"}


@pytest.fixture
def idp(settings):
    provider = oidc_provider.Provider(person=dict(ANNA))
    server = oidc_provider.serve(provider)
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID = oidc_provider.CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = oidc_provider.CLIENT_SECRET
    settings.OIDC_PROVIDER_NAME = "Stadtwerk-Konto"
    cache.clear()  # the discovery document of another test's provider
    yield provider
    server.shutdown()
    server.server_close()


def sign_in(client: Client, next_url: str = "") -> object:
    """The whole round trip: our start URL, the provider's authorize page (a real HTTP request), our callback."""
    start = client.get(reverse("desk:sso_start"), {"next": next_url} if next_url else {})
    assert start.status_code == 302 and start["Location"].startswith(f"{oidc_provider_issuer(start)}/authorize?")
    at_provider = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert at_provider.status_code == 302
    back = at_provider.headers["Location"].removeprefix("http://testserver")
    return client.get(back)


def oidc_provider_issuer(response: object) -> str:
    from django.conf import settings

    return settings.OIDC_ISSUER


def signed_in_as(client: Client) -> str | None:
    response = client.get(reverse("desk:inbox"))
    return response.context["agent"].user.username if response.status_code == 200 else None


def test_the_login_page_offers_the_provider_only_when_configured(agents, idp, settings):
    assert "Sign in with Stadtwerk-Konto" in Client().get(reverse("desk:login")).content.decode()
    german = Client(HTTP_ACCEPT_LANGUAGE="de").get(reverse("desk:login")).content.decode()
    assert "Anmelden mit Stadtwerk-Konto" in german
    settings.OIDC_RP_CLIENT_SECRET = ""
    page = Client().get(reverse("desk:login")).content.decode()
    assert "Sign in with" not in page
    assert Client().get(reverse("desk:sso_start"))["Location"] == reverse("desk:login")


def test_a_verified_address_signs_in_as_that_agent(agents, idp):
    client = Client()
    response = sign_in(client, next_url=reverse("desk:queue"))
    assert response.status_code == 302 and response["Location"] == reverse("desk:queue")
    assert signed_in_as(client) == "anna"
    assert idp.requests[:2] == ["GET /.well-known/openid-configuration", "GET /authorize"]
    assert {"POST /token", "GET /jwks", "GET /userinfo"} <= set(idp.requests)


def test_nobody_is_made_for_an_unknown_address(agents, idp):
    idp.person = {"sub": "u-2002", "email": "fremd@example.org", "email_verified": True}
    users = get_user_model().objects.count()
    client = Client()
    response = sign_in(client)
    assert response["Location"] == reverse("desk:login")
    page = client.get(reverse("desk:login")).content.decode()
    assert "did not lead to an agent" in page
    assert signed_in_as(client) is None
    assert get_user_model().objects.count() == users and Agent.objects.count() == 3


def test_a_user_without_agent_profile_is_not_signed_in(agents, idp):
    get_user_model().objects.create_user("ops", email="ops@stadtwerk.example", password=PASSWORD)
    idp.person = {"sub": "u-3003", "email": "ops@stadtwerk.example", "email_verified": True}
    client = Client()
    sign_in(client)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    "misbehaviour",
    [
        {"person": ANNA | {"email_verified": False}},  # the provider does not vouch for the address
        {"sign_with_other_key": True},  # a token the issuer's keys did not sign
        {"id_token_changes": {"aud": "another-client"}},  # a token for another application
        {"id_token_changes": {"iss": "https://evil.example"}},  # a token from another issuer
        {"id_token_changes": {"exp": int(time.time()) - 60}},  # an expired token
        {"id_token_changes": {"nonce": "replayed"}},  # a token of another sign-in
        {"userinfo_sub": "u-9999"},  # userinfo about someone else
    ],
)
def test_tokens_that_do_not_hold_sign_nobody_in(agents, idp, misbehaviour):
    for name, value in misbehaviour.items():
        setattr(idp, name, value)
    client = Client()
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] == reverse("desk:login")
    assert signed_in_as(client) is None


def test_a_callback_cannot_be_used_twice(agents, idp):
    client = Client()
    start = client.get(reverse("desk:sso_start"))
    back = requests.get(start["Location"], allow_redirects=False, timeout=5).headers["Location"]
    back = back.removeprefix("http://testserver")
    assert client.get(back).status_code == 302 and signed_in_as(client) == "anna"
    client.post(reverse("desk:logout"))
    assert client.get(back).status_code in (302, 400) and signed_in_as(client) is None


def test_an_agent_with_a_second_factor_gives_the_code_after_the_provider(agents, idp):
    secret, _codes = enrol(client_for("anna"), reverse("desk:two_factor_setup"))
    client = Client()
    response = sign_in(client)
    assert response["Location"] == reverse("desk:login_code") and signed_in_as(client) is None
    client.post(reverse("desk:login_code"), {"code": totp(secret, time.time() + 30)})
    assert signed_in_as(client) == "anna"
    assert two_factor.is_enrolled(get_user_model().objects.get(username="anna"))


def test_an_unreachable_provider_is_a_message_not_an_error(agents, idp, settings):
    settings.OIDC_ISSUER = "http://127.0.0.1:9"  # nothing listens there
    cache.clear()
    client = Client()
    response = client.get(reverse("desk:sso_start"))
    assert response["Location"] == reverse("desk:login")
    assert "is not available right now" in client.get(reverse("desk:login")).content.decode()


@pytest.mark.slow
def test_it_is_configured_from_the_environment_only(tmp_path):
    environ = {k: v for k, v in os.environ.items() if not k.startswith("ANLIEGEN_")} | {
        "ANLIEGEN_DATA_DIR": str(tmp_path)
    }
    show = "from anliegen.desk.signin import oidc; print(oidc.provider_name() or '-')"
    run = [
        sys.executable,
        "-c",
        f"import django, os; os.environ['DJANGO_SETTINGS_MODULE']='anliegen.settings'; django.setup(); {show}",
    ]
    assert subprocess.run(run, env=environ, capture_output=True, text=True, check=True).stdout.strip() == "-"
    environ |= {
        "ANLIEGEN_OIDC_ISSUER": "https://login.example.net/realms/staff",
        "ANLIEGEN_OIDC_CLIENT_ID": "anliegen",
        "ANLIEGEN_OIDC_CLIENT_SECRET": "from-the-vault",
        "ANLIEGEN_OIDC_NAME": "Staff login",
    }
    assert subprocess.run(run, env=environ, capture_output=True, text=True, check=True).stdout.strip() == "Staff login"
