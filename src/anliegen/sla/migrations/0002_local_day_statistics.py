"""PostgreSQL: statistics on the clocks' local opening day, which the daily report groups by.

Without them the planner takes every row for its own day (1M groups at 1M cases), sorts the whole range on disk and
runs without parallel workers: 1.8 s for two years of every brand; with them, a parallel hash aggregate of ~730 days.
The expression must be the one Django writes for TruncDate in the installation's time zone: after changing
ANLIEGEN_TIME_ZONE the report stays right, only slower, until `migrate sla 0001` and `migrate` make it anew.
"""

from django.conf import settings
from django.db import migrations


def _zone() -> str:
    # A zone name from the settings goes into SQL: allow only what a tz database name consists of.
    zone = settings.TIME_ZONE
    return zone if all(ch.isalnum() or ch in "/_+-" for ch in zone) else "UTC"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE STATISTICS IF NOT EXISTS sla_clock_local_day"
            f" ON ((opened_at AT TIME ZONE '{_zone()}')::date) FROM sla_clock"
        )
        schema_editor.execute("ANALYZE sla_clock")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP STATISTICS IF EXISTS sla_clock_local_day")


class Migration(migrations.Migration):
    dependencies = [("sla", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
