"""Search structures: tsvector columns + triggers + GIN/trigram indexes on PostgreSQL, FTS5 on SQLite."""

from django.db import migrations


def forwards(apps, schema_editor):
    from anliegen.search.schema import install

    install(schema_editor.connection)


def backwards(apps, schema_editor):
    from anliegen.search.schema import uninstall

    uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("core", "0002_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
