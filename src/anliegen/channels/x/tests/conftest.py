import pytest

from anliegen.channels.social.tests import accounts as testing


@pytest.fixture
def x_account(brand, agents):
    return testing.x_account(brand)
