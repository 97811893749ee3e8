"""PostgreSQL: the full-text GIN indexes hold each row's id bucket (id / 1024), so search reads the newest matches.

A common word matches tens of thousands of a brand's rows and only a bounded number are ranked. Without the id in the
index those were the first the bitmap yielded, the oldest (heap order); ordering by id walked the primary key
backwards (2.5 s at 1M cases). With the bucket next to brand and lexemes (btree_gin), "matches in the newest N
buckets" is answered inside the one index scan (search/postgres.py). Buckets, not ids: a range over GIN keys costs a
comparison per key, 5M keys for 5M ids (25 ms for the newest quarter of a million), and the index grew from 117 to
455 MB; with one key per 1,024 ids the same range took 9 ms and the index stays the size it was.

Built CONCURRENTLY (the migration is not atomic), so writes go on meanwhile; at 1M cases / 5M messages on 2 cores
it took 41 s (indexes of 14 and 117 MB). An interrupted build leaves an invalid index behind, dropped and built anew.
The extension: 0003 created it; CREATE EXTENSION IF NOT EXISTS here too, not Django's BtreeGinExtension, whose
reverse would drop the extension the trigram indexes of 0005 still need.
"""

from django.db import migrations

NEW = {
    "search_case_brand_recent_tsv_idx": "ON core_case USING gin (brand_id, (id / 1024), search_tsv)",
    "search_message_brand_recent_tsv_idx": "ON core_message USING gin (brand_id, (id / 1024), search_tsv)",
}
OLD = {
    "search_case_brand_tsv_idx": "ON core_case USING gin (brand_id, search_tsv)",
    "search_message_brand_tsv_idx": "ON core_message USING gin (brand_id, search_tsv)",
}


def _build(schema_editor, indexes: dict[str, str], drop: dict[str, str]) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS btree_gin")
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


def forwards(apps, schema_editor):
    _build(schema_editor, NEW, OLD)


def backwards(apps, schema_editor):
    _build(schema_editor, OLD, NEW)


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY cannot run inside a transaction
    dependencies = [("search", "0005_brand_scoped_trigrams")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
