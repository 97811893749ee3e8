import pytest

from anliegen.channels.social.tests import accounts


@pytest.fixture
def x_account(brand, agents):
    return accounts.x_account(brand)


@pytest.fixture
def meta_accounts(brand, agents):
    return accounts.meta_accounts(brand)
