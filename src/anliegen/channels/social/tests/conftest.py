import pytest

from anliegen.channels.social.tests import accounts


@pytest.fixture
def x_account(brand, agents):
    return accounts.x_account(brand)


@pytest.fixture
def meta_accounts(brand, agents):
    return accounts.meta_accounts(brand)


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The code limit counts per client IP, and every test client is 127.0.0.1.
    from django.core.cache import cache

    cache.clear()
