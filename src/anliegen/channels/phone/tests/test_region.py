"""Numbers are read in the brand's region: the phone line keeps no copy of it (migration 0002)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from anliegen.channels.phone import routing
from anliegen.channels.phone.models import PhoneLine


def test_the_line_has_no_region_of_its_own():
    assert "region" not in {f.name for f in PhoneLine._meta.get_fields()}


@pytest.mark.django_db
def test_the_routing_reads_numbers_in_the_brands_region(brand):
    brand.default_region = "AT"
    brand.save(update_fields=["default_region"])
    PhoneLine.objects.get_or_create(brand=brand)
    assert routing.route(brand, "01 5880", brand.default_region).number == "+4315880"


@pytest.mark.django_db(transaction=True)
def test_migration_hands_a_lines_other_region_to_its_brand():
    executor = MigrationExecutor(connection)
    others = [node for node in executor.loader.graph.leaf_nodes() if node[0] != "channel_phone"]
    before = [*others, ("channel_phone", "0001_initial")]
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    brand = old.get_model("core", "Brand").objects.create(
        slug="alpen", name="Alpen", mail_domain="alpen.example", languages=["de"]
    )
    old.get_model("channel_phone", "PhoneLine").objects.create(brand=brand, region="AT", token="t" * 32)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    from anliegen.core.models import Brand

    assert Brand.objects.get(slug="alpen").default_region == "AT"
