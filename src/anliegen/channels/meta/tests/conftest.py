import pytest

from anliegen.channels.social.tests import accounts as testing


@pytest.fixture
def meta_accounts(brand, agents):
    return testing.meta_accounts(brand)
