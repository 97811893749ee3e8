import pytest

from anliegen.base.sms import locmem


@pytest.fixture(autouse=True)
def _fast_sms(settings):
    settings.SMS_BACKEND = "anliegen.base.sms.locmem.LocmemBackend"
    # Agents are created per test; a cheap hasher keeps the fixtures fast.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    locmem.outbox.clear()
