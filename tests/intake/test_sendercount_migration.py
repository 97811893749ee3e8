"""SenderCount moved from the e-mail app to intake: the migration keeps the table's rows (SQLite and PostgreSQL)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from anliegen.intake.models import SenderCount

BEFORE = [("intake", "0002_inbound_digest"), ("channel_email", "0002_mailbox_sendercount")]
AFTER = [("intake", "0003_sendercount"), ("channel_email", "0003_sendercount_to_intake")]


@pytest.mark.django_db(transaction=True)
def test_counts_written_before_the_move_are_read_after_it():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("channel_email", "SenderCount")
    old.objects.create(sender="email:1:anna@example.org", bucket=42, count=7)
    assert old._meta.db_table == "channel_email_sendercount"

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert SenderCount._meta.db_table == "intake_sendercount"
    row = SenderCount.objects.get(sender="email:1:anna@example.org", bucket=42)
    assert row.count == 7
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
    assert "intake_sendercount" in tables and "channel_email_sendercount" not in tables
