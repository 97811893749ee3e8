"""A brand with a phone line, three agents with extensions and a known caller, for the phone channel's tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core import mail
from django.core.cache import cache

from anliegen.channels.phone.models import PhoneLine
from anliegen.core.models import Case, Contact, Identity, Membership
from anliegen.core.setup import create_agent, create_brand

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
PASSWORD = "test-pass-123"
# The caller of caller_case: a known contact with an open case.
NUMBER = "+4917612345678"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@pytest.fixture(autouse=True)
def _eager(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.INTAKE_EAGER = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BASE_URL = "http://testserver"
    mail.outbox = []


@pytest.fixture(autouse=True)
def _fresh_cache():
    # The routing query keeps lines, loads and waits for seconds: one test's must not answer the next one's call.
    cache.clear()


@pytest.fixture
def brand(db):
    # Around the clock, so a missed call is always within service hours unless a test says otherwise.
    return create_brand("stadtwerk", "Stadtwerk Nord", "stadtwerk.example", hotline="+49 40 123456", service_hours={})


@pytest.fixture
def line(brand) -> PhoneLine:
    return PhoneLine.objects.create(brand=brand, token="line-secret-1", twilio_auth_token="twilio-auth-1")


@pytest.fixture
def agents(brand):
    anna = create_agent(
        brand,
        "anna",
        "Anna Schmidt",
        PASSWORD,
        languages=["de", "en"],
        extension="201",
        authority={"credit_max_cents": 5000},
    )
    ben = create_agent(brand, "ben", "Ben Wagner", PASSWORD, languages=["de"], extension="202")
    claire = create_agent(
        brand,
        "claire",
        "Claire Miller",
        PASSWORD,
        languages=["en"],
        extension="203",
        role=Membership.Role.SUPERVISOR,
        authority={"credit_max_cents": 50000},
    )
    brand.default_owner = anna
    brand.save(update_fields=["default_owner"])
    return {"anna": anna, "ben": ben, "claire": claire}


@pytest.fixture
def post(client, line):
    def send(
        fmt: str, body: bytes, content_type: str = "application/x-www-form-urlencoded", token: str = "", **headers: str
    ):
        url = f"/hooks/phone/{line.brand.slug}.{token or line.token}/?format={fmt}"
        return client.post(url, data=body, content_type=content_type, **headers)

    return send


@pytest.fixture
def caller_case(brand, agents):
    """Jana calls from NUMBER: her open case is Ben's; she has an address for the written confirmation too."""
    contact = Contact.objects.create(brand=brand, name="Jana Krüger", language="de")
    Identity.objects.create(contact=contact, brand=brand, kind="phone", value=NUMBER)
    Identity.objects.create(contact=contact, brand=brand, kind="email", value="jana@example.org")
    return Case.objects.create(
        brand=brand,
        contact=contact,
        owner=agents["ben"],
        subject="Zählerstand",
        preferred_channel="email",
        language="de",
    )
