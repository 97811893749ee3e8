"""Self-service fixtures: an active incident of the test brand and cases that arrived through real intake."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from anliegen.core.models import Incident
from anliegen.selfservice.services import incidents, status_cache
from tests.desk.conftest import mail_case  # noqa: F401 - shared fixture


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    status_cache.forget()
    yield
    cache.clear()
    status_cache.forget()


@pytest.fixture
def outage(brand, agents) -> Incident:
    return incidents.do_open(
        brand,
        agents["claire"],
        title="Kein TV-Signal in Hamburg-Nord",
        description="Seit 20 Uhr fällt in Hamburg-Nord das Kabelfernsehen aus. Ein Techniker ist unterwegs.",
        title_en="No TV signal in Hamburg North",
        description_en="Since 8 pm cable TV is down in Hamburg North. A technician is on the way.",
        product="Kabel-TV",
        areas=["224", "225"],
        keywords=["kein signal", "no signal", "fernseher schwarz"],
    )
