"""PostgreSQL: the contact trigram indexes hold the bucket of the contact's id (id / 1024), as 0006 did for full text.

A common surname matches ~950 of a brand's 60,000 contacts at 1M cases, and search shows the best-matching, newest
20: with only (brand, text) in the index all of them were fetched and their similarity computed (index and heap,
10-35 ms for "Schmidt", "Lehmann"). With the bucket next to brand and text, search reads the newest 32 buckets first
(search/postgres.py, about 50 such contacts), and the whole brand only when fewer than 20 there match fully.
Identities are bucketed by their contact's id, so both arms read the same contacts' window.

Built CONCURRENTLY (the migration is not atomic), so writes go on meanwhile; see 0006 for invalid leftovers. At 1M
cases (600,000 contacts, 900,000 identities) on 2 busy cores the two took 4 s and 17 s (18 and 47 MB).
"""

from django.db import migrations

NEW = {
    "search_contact_brand_recent_name_trgm": "ON core_contact USING gin (brand_id, (id / 1024), name gin_trgm_ops)",
    "search_identity_brand_recent_value_trgm": "ON core_identity"
    " USING gin (brand_id, (contact_id / 1024), value gin_trgm_ops)",
}
OLD = {
    "search_contact_brand_name_trgm": "ON core_contact USING gin (brand_id, name gin_trgm_ops)",
    "search_identity_brand_value_trgm": "ON core_identity USING gin (brand_id, value gin_trgm_ops)",
}


def _build(schema_editor, indexes: dict[str, str], drop: dict[str, str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in indexes.items():
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                " WHERE c.relname = %s AND NOT i.indisvalid",
                [name],
            )
            invalid = cursor.fetchone() is not None
        if invalid:
            schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
        schema_editor.execute(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS {name} {definition}")
    for name in drop:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
    # Statistics of the bucket expressions, or the planner guesses how many contacts a window holds.
    schema_editor.execute("ANALYZE core_contact")
    schema_editor.execute("ANALYZE core_identity")


def forwards(apps, schema_editor):
    _build(schema_editor, NEW, OLD)


def backwards(apps, schema_editor):
    _build(schema_editor, OLD, NEW)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction
    dependencies = [("search", "0006_newest_first_gin")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
