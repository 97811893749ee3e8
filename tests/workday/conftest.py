"""Working-day fixtures: cases made directly (the intake is tested elsewhere), in two brands."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from anliegen.core.models import Agent, Brand, Case, Contact


@pytest.fixture
def make_case() -> Callable[..., Case]:
    def make(brand: Brand, owner: Agent, subject: str = "Router blinkt rot", **fields: object) -> Case:
        contact = Contact.objects.create(brand=brand, name=fields.pop("customer", "Jana Krüger"))
        return Case.objects.create(
            brand=brand, contact=contact, owner=owner, subject=subject, preferred_channel="email", **fields
        )

    return make


@pytest.fixture
def audit():  # noqa: ANN201 - a queryset of this test's audit entries
    """This test's audit entries: the log outlives the flushes of tests that commit, so older ones may be there."""
    from django.utils import timezone

    from anliegen.audit.models import AuditEntry

    return AuditEntry.objects.filter(at__gte=timezone.now())
