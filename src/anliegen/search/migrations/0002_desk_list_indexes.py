"""Partial indexes for the desk's lists of open work (my cases, team queue), newest activity first.

Open and waiting cases are a small share of all cases; these indexes hold only them, in the order the lists show,
so the inbox and the queue read 51 index entries instead of sorting every open case of a brand.
"""

from django.db import migrations

INDEXES = {
    "search_case_open_owner_idx": "ON core_case (owner_id, updated_at DESC, id DESC)"
    " WHERE state IN ('open', 'waiting')",
    "search_case_open_brand_idx": "ON core_case (brand_id, updated_at DESC, id DESC)"
    " WHERE state IN ('open', 'waiting')",
}


def forwards(apps, schema_editor):
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} {definition}")


def backwards(apps, schema_editor):
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_search_structures")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
