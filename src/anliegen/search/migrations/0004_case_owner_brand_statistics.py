"""PostgreSQL: tell the planner that a case's owner decides its brand (an agent works for few brands).

Without it the planner multiplies the two selectivities, expects ~40 of an agent's open cases where there are
~400, and sorts a bitmap scan instead of walking search_case_open_owner_idx: the inbox query took 6.7 ms at 1M
cases, 1.1 ms with these statistics (ANALYZE fills them; the next autovacuum analyze does it on a live system).
"""

from django.db import migrations


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE STATISTICS IF NOT EXISTS case_owner_brand_stx (dependencies) ON owner_id, brand_id FROM core_case"
        )
        schema_editor.execute("ANALYZE core_case")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP STATISTICS IF EXISTS case_owner_brand_stx")


class Migration(migrations.Migration):
    dependencies = [("search", "0003_brand_scoped_gin")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
