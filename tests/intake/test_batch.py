"""A pipeline batch reads shared lookups once, yet routes as if each case were assigned one after another."""

from collections import Counter

from django.db import connection
from django.test.utils import CaptureQueriesContext

from anliegen.core.models import Case
from anliegen.intake import pipeline
from anliegen.intake.accept import accept_many

from .conftest import form_raw


def _submit(brand, n, tag):
    items = [
        ("webform", f"{tag}{i}", form_raw(email=f"{tag}{i}@example.org", subject=f"Zähler {i}"), {}, brand.pk)
        for i in range(n)
    ]
    return [a.inbound_id for a in accept_many(items)]


def test_one_batch_spreads_new_cases_over_the_least_loaded(brand, agents, settings):
    settings.INTAKE_EAGER = False
    ids = _submit(brand, 6, "b")
    pipeline.process_ids(ids)
    owners = Counter(Case.objects.filter(language="de").values_list("owner__mailbox", flat=True))
    # anna and ben speak German; within one batch the local load count alternates them.
    assert sorted(owners.values()) == [3, 3], owners


def test_brand_agents_and_incidents_are_read_once_per_batch(brand, agents, settings):
    settings.INTAKE_EAGER = False
    ids = _submit(brand, 5, "q")
    with CaptureQueriesContext(connection) as queries:
        pipeline.process_ids(ids)
    sqls = [q["sql"] for q in queries.captured_queries]
    assert sum('FROM "core_incident"' in s for s in sqls) == 1
    assert sum('FROM "core_brand"' in s and 'core_brand"."id" =' in s for s in sqls) <= 1
    assert sum("COUNT(" in s and "owned" not in s and 'FROM "core_agent"' in s for s in sqls) == 1
