"""Sign-in in a real browser: two-factor set up from the desk (the QR code drawn, the secret readable), signing in
again with the app's code, under the Content Security Policy with nothing refused; and the identity provider's
round trip from the button on the sign-in page."""

from __future__ import annotations

import re
import time

import pytest
from django.core.cache import cache

from tests.browser import chromium_page
from tests.conftest import PASSWORD

from . import oidc_provider
from .test_sso import ANNA
from .test_two_factor import totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_set_up_and_sign_in_with_the_code(live_server, agents, monkeypatch, settings, tmp_path):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    with chromium_page(monkeypatch) as page:
        refused = []
        page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
        page.goto(f"{live_server.url}/desk/login/")
        page.fill("#id_username", "anna")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/desk/")
        page.click("a.me")  # her name in the top bar: sign-in security
        page.get_by_role("link", name="Set up two-factor sign-in").click()
        qr = page.locator(".qr svg")
        assert qr.is_visible() and qr.bounding_box()["width"] >= 100
        secret = page.locator("code.secret").inner_text()
        assert re.fullmatch(r"[A-Z2-7 ]+", secret)
        page.fill("#id_code", totp(secret))
        page.get_by_role("button", name="Confirm").click()
        page.wait_for_selector(".recovery-codes")
        assert page.locator(".recovery-codes li").count() == 10
        page.get_by_role("link", name="Back to sign-in security").click()
        assert page.locator(".state-on").is_visible()
        page.click(".logout button")

        page.fill("#id_username", "anna")
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/desk/login/code/")
        page.fill("#id_code", totp(secret, time.time() + 30))
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/desk/")
        assert page.locator("a.me").inner_text() == "Anna Schmidt"
        assert refused == []


def test_sign_in_with_the_identity_provider(live_server, agents, monkeypatch, settings):
    provider = oidc_provider.Provider(person=dict(ANNA), redirect_uri=f"{live_server.url}/desk/login/sso/callback/")
    server = oidc_provider.serve(provider)
    settings.OIDC_ISSUER = provider.issuer
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = oidc_provider.CLIENT_ID, oidc_provider.CLIENT_SECRET
    settings.OIDC_PROVIDER_NAME = "Stadtwerk-Konto"
    cache.clear()
    try:
        with chromium_page(monkeypatch) as page:
            page.goto(f"{live_server.url}/desk/queue/")  # to the sign-in page, and back here afterwards
            page.get_by_role("link", name="Sign in with Stadtwerk-Konto").click()
            page.wait_for_url(f"{live_server.url}/desk/queue/")
            assert page.locator("a.me").inner_text() == "Anna Schmidt"
    finally:
        server.shutdown()
        server.server_close()
    assert "POST /token" in provider.requests
