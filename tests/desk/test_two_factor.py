"""Two-factor sign-in: enrolment with a real authenticator secret, the code step (throttled like passwords),
recovery codes, a second factor required by the brand or the installation, and an admin's reset."""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import struct
import time

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from anliegen.audit.models import Action, AuditEntry
from anliegen.core.models import Membership
from anliegen.core.setup import create_agent
from anliegen.desk.signin import two_factor
from tests.conftest import PASSWORD

from .conftest import client_for

pytestmark = pytest.mark.django_db


def totp(secret: str, at: float | None = None, digits: int = 6) -> str:
    """RFC 6238 (HMAC-SHA1, 30-second steps), computed here from the secret the page shows."""
    key = secret.replace(" ", "").upper()
    key = base64.b32decode(key + "=" * (-len(key) % 8))
    counter = int((time.time() if at is None else at) // 30)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = (struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return str(number).zfill(digits)


def test_the_code_helper_meets_the_rfc_test_vectors():
    secret = base64.b32encode(b"12345678901234567890").decode()
    assert totp(secret, 59, digits=8) == "94287082" and totp(secret, 1111111109, digits=8) == "07081804"


@pytest.fixture(autouse=True)
def _no_device_throttle(settings):
    # django-otp also slows a device down after a wrong code (1 s, 2 s, ...); the tests below check our
    # django-axes limit, and that delay has its own test.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def enrol(client: Client, url: str) -> tuple[str, list[str]]:
    """Scan (read the secret off the page), confirm with the app's code; returns the secret and recovery codes."""
    page = client.get(url).content.decode()
    assert "<svg" in page and "<script" not in page.split("<main", 1)[-1].split("</main>")[0]
    secret = re.search(r'<code class="secret">([A-Z2-7 ]+)</code>', page).group(1)
    device = re.search(r'name="device" value="(\d+)"', page).group(1)
    wrong = client.post(url, {"device": device, "code": "000000" if totp(secret) != "000000" else "111111"})
    assert "This code is not right" in wrong.content.decode()
    done = client.post(url, {"device": device, "code": totp(secret)})
    assert done.status_code == 200, done.content
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == two_factor.RECOVERY_CODES
    return secret, codes


def password_step(client: Client, username: str = "anna") -> object:
    return client.post(reverse("desk:login"), {"username": username, "password": PASSWORD})


def signed_in(client: Client) -> bool:
    return client.get(reverse("desk:inbox")).status_code == 200


def test_enrol_then_sign_in_asks_for_the_code(agents):
    anna = client_for("anna")
    assert "Off: signing in asks for your password only" in anna.get(reverse("desk:two_factor")).content.decode()
    secret, codes = enrol(anna, reverse("desk:two_factor_setup"))
    assert "recovery codes left" in anna.get(reverse("desk:two_factor")).content.decode()

    client = Client()
    response = password_step(client)
    assert response["Location"] == reverse("desk:login_code")
    assert not signed_in(client)  # the password alone signs nobody in
    assert client.get("/api/cases").status_code in (401, 403)
    wrong = client.post(reverse("desk:login_code"), {"code": "12345"})
    assert wrong.status_code == 200 and "This code is not right" in wrong.content.decode()
    code = totp(secret, time.time() + 30)  # the next step: the current one was spent on the confirmation
    response = client.post(reverse("desk:login_code"), {"code": code})
    assert response.status_code == 302 and response["Location"] == reverse("desk:inbox")
    assert signed_in(client)
    assert client.session["otp_device_id"].startswith("otp_totp.totpdevice/")

    again = Client()  # the same code cannot be used twice
    password_step(again)
    assert "This code is not right" in again.post(reverse("desk:login_code"), {"code": code}).content.decode()
    assert not signed_in(again)


def test_a_recovery_code_signs_in_once(agents):
    _secret, codes = enrol(client_for("anna"), reverse("desk:two_factor_setup"))
    client = Client()
    password_step(client)
    assert client.post(reverse("desk:login_code"), {"code": codes[0].upper()}).status_code == 302
    assert signed_in(client)
    other = Client()
    password_step(other)
    assert "This code is not right" in other.post(reverse("desk:login_code"), {"code": codes[0]}).content.decode()
    assert two_factor.recovery_codes_left(get_user_model().objects.get(username="anna")) == 9


def test_wrong_codes_are_throttled_like_wrong_passwords(agents, settings):
    secret, _codes = enrol(client_for("anna"), reverse("desk:two_factor_setup"))
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    client = Client()
    assert password_step(client)["Location"] == reverse("desk:login_code")
    for _attempt in range(2):
        assert client.post(reverse("desk:login_code"), {"code": "999999"}).status_code == 200
    locked = client.post(reverse("desk:login_code"), {"code": "999999"})
    assert locked.status_code == 429 and "Too many wrong codes" in locked.content.decode()
    assert int(locked["Retry-After"]) == settings.AXES_COOLOFF_TIME.total_seconds()
    right = client.post(reverse("desk:login_code"), {"code": totp(secret, time.time() + 30)})
    assert right.status_code == 429 and not signed_in(client)  # even the right code waits now
    assert password_step(Client()).status_code == 429  # and the password step of that name, from here


def test_the_device_itself_slows_down_after_a_wrong_code(agents, settings):
    secret, _codes = enrol(client_for("anna"), reverse("desk:two_factor_setup"))
    settings.OTP_TOTP_THROTTLE_FACTOR = 60
    client = Client()
    password_step(client)
    client.post(reverse("desk:login_code"), {"code": "999999"})
    assert client.post(reverse("desk:login_code"), {"code": totp(secret, time.time() + 30)}).status_code == 200
    assert not signed_in(client)


def test_the_half_finished_sign_in_expires(agents, settings):
    enrol(client_for("anna"), reverse("desk:two_factor_setup"))
    settings.TWO_FACTOR_PENDING_SECONDS = -1
    client = Client()
    password_step(client)
    assert client.get(reverse("desk:login_code"))["Location"] == reverse("desk:login")


def test_the_admin_login_asks_for_the_code_too(agents):
    get_user_model().objects.filter(username="anna").update(is_staff=True, is_superuser=True)
    enrol(client_for("anna"), reverse("desk:two_factor_setup"))
    client = Client()
    response = client.post("/admin/login/?next=/admin/", {"username": "anna", "password": PASSWORD})
    assert response["Location"] == reverse("desk:login_code")
    assert client.get("/admin/").status_code == 302  # not signed in


@pytest.mark.parametrize("where", ["brand", "installation"])
def test_a_required_second_factor_is_set_up_while_signing_in(agents, brand, settings, where):
    if where == "brand":
        brand.require_two_factor = True
        brand.save(update_fields=["require_two_factor"])
    else:
        settings.TWO_FACTOR_REQUIRED = True
    client = Client()
    assert password_step(client, "ben")["Location"] == reverse("desk:login_enrol")
    assert not signed_in(client)
    _secret, _codes = enrol(client, reverse("desk:login_enrol"))
    assert signed_in(client)
    off = client.post(reverse("desk:two_factor_off"), {"code": "x"}, follow=True)
    assert "cannot be turned off" in off.content.decode()
    assert two_factor.is_enrolled(get_user_model().objects.get(username="ben"))


def test_turning_it_off_needs_a_current_code(agents):
    anna = client_for("anna")
    secret, _codes = enrol(anna, reverse("desk:two_factor_setup"))
    anna.post(reverse("desk:two_factor_off"), {"code": "000000"})
    user = get_user_model().objects.get(username="anna")
    assert two_factor.is_enrolled(user)
    anna.post(reverse("desk:two_factor_off"), {"code": totp(secret, time.time() + 30)})
    assert not two_factor.is_enrolled(user)
    assert password_step(Client()).status_code == 302  # the password alone again
    trail = AuditEntry.objects.filter(object_type="agent", object_id=str(agents["anna"].pk)).order_by("pk")
    assert [(e.action, e.actor_id) for e in trail] == [
        (Action.TWO_FACTOR_ON, agents["anna"].pk),
        (Action.TWO_FACTOR_OFF, agents["anna"].pk),
        (Action.SIGNIN, agents["anna"].pk),
    ]


def test_an_admin_resets_an_agent_of_their_brand_only(agents, brand, other_brand):
    enrol(client_for("anna"), reverse("desk:two_factor_setup"))
    anna = get_user_model().objects.get(username="anna")
    create_agent(other_brand, "olaf", "Olaf Admin", PASSWORD, role=Membership.Role.ADMIN)
    olaf = client_for("olaf")
    assert "Anna Schmidt" not in olaf.get(reverse("desk:two_factor_team")).content.decode()
    assert olaf.post(reverse("desk:two_factor_reset", args=[agents["anna"].pk])).status_code == 404
    assert client_for("ben").get(reverse("desk:two_factor_team")).status_code == 403  # an agent, not an admin
    assert client_for("ben").post(reverse("desk:two_factor_reset", args=[agents["anna"].pk])).status_code == 404
    assert two_factor.is_enrolled(anna)

    create_agent(brand, "erika", "Erika Admin", PASSWORD, role=Membership.Role.ADMIN)
    erika = client_for("erika")
    assert "Anna Schmidt" in erika.get(reverse("desk:two_factor_team")).content.decode()
    assert erika.post(reverse("desk:two_factor_reset", args=[agents["anna"].pk])).status_code == 302
    assert not two_factor.is_enrolled(anna)
    reset = AuditEntry.objects.get(action=Action.TWO_FACTOR_RESET)
    assert (reset.actor_name, reset.brand_id, reset.object_id) == ("Erika Admin", brand.pk, str(agents["anna"].pk))
    assert password_step(Client()).status_code == 302


def test_the_admin_never_shows_a_secret(agents):
    _secret, codes = enrol(client_for("anna"), reverse("desk:two_factor_setup"))
    get_user_model().objects.create_superuser("root", "root@example.org", PASSWORD)
    admin = client_for("root")
    device = two_factor.app_device(get_user_model().objects.get(username="anna"))
    page = admin.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk])).content.decode()
    assert page.count("anna") and device.key not in page
    assert admin.get(reverse("admin:otp_totp_totpdevice_qrcode", args=[device.pk])).status_code == 403
    tokens = admin.get(reverse("admin:otp_static_staticdevice_changelist")).content.decode()
    assert "recovery" in tokens and not any(code in tokens for code in codes)
