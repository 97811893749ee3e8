"""The search structures survive core table rebuilds: a missing trigger is put back and the index rebuilt."""

from __future__ import annotations

import pytest
from django.db import connection

from anliegen.search import schema
from anliegen.search.services import search


def test_repair_restores_dropped_triggers(brand, agents, make_case):
    if connection.vendor != "sqlite":
        pytest.skip("table rebuilds that drop triggers happen on SQLite only")
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER search_message_ai")
    case = make_case(brand, "Frage", "Die Heizung ist kalt.")  # inserted while the trigger is gone
    assert search(agents["anna"], "Heizung") == []
    schema.repair_after_migrate(using="default")
    assert [h.case_id for h in search(agents["anna"], "Heizung")] == [case.pk]


def test_installed_and_idempotent(brand, agents, make_case):
    assert schema.is_installed(connection)
    schema.install(connection)  # a second run changes nothing and fails on nothing
    case = make_case(brand, "Rechnung", "Text")
    assert [h.case_id for h in search(agents["anna"], "Rechnung")] == [case.pk]


def test_case_language_change_reindexes_messages(brand, agents, make_case):
    case = make_case(brand, "Frage", "the invoices are wrong", language="de")
    case.language = "en"
    case.save()
    assert [h.case_id for h in search(agents["anna"], "invoice")] == [case.pk]
