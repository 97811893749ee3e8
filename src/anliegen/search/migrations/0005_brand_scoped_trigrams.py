"""PostgreSQL: the contact trigram indexes over (brand, text), as 0003 did for the full-text indexes.

A common surname's trigrams match every brand's contacts: at 1M cases (10 brands, 600,000 contacts) "Lehmann" found
9,503 candidates in the name index and rechecked them all to keep the 958 of one brand (27 ms); with the brand in
the index only that brand's candidates are fetched.
"""

from django.db import migrations

FORWARDS = [
    "CREATE EXTENSION IF NOT EXISTS btree_gin",
    "CREATE INDEX IF NOT EXISTS search_contact_brand_name_trgm ON core_contact USING gin (brand_id, name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS search_identity_brand_value_trgm ON core_identity"
    " USING gin (brand_id, value gin_trgm_ops)",
    "DROP INDEX IF EXISTS search_contact_name_trgm",
    "DROP INDEX IF EXISTS search_identity_value_trgm",
]
BACKWARDS = [
    "CREATE INDEX IF NOT EXISTS search_contact_name_trgm ON core_contact USING gin (name gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS search_identity_value_trgm ON core_identity USING gin (value gin_trgm_ops)",
    "DROP INDEX IF EXISTS search_contact_brand_name_trgm",
    "DROP INDEX IF EXISTS search_identity_brand_value_trgm",
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
    dependencies = [("search", "0004_case_owner_brand_statistics")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
