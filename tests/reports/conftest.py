"""The desk fixtures: cases through the real intake and signed-in clients."""

import pytest

from tests.desk.conftest import anna_client, client_for, mail_case  # noqa: F401


@pytest.fixture
def claire_client(agents):  # noqa: ANN201 - a test client of the supervisor
    return client_for("claire")
