import pytest

from anliegen.channels.sms import locmem


@pytest.fixture(autouse=True)
def _fast_sms(settings):
    settings.SMS_BACKEND = "anliegen.channels.sms.locmem.LocmemBackend"
    # Agents are created per test; a cheap hasher keeps the fixtures fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    locmem.outbox.clear()
