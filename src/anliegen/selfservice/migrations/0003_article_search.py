"""The knowledge base's full-text index: a weighted tsvector with trigger on PostgreSQL, FTS5 on SQLite."""

from django.db import migrations


def forwards(apps, schema_editor):
    from anliegen.selfservice.services.article_index import install

    install(schema_editor.connection)


def backwards(apps, schema_editor):
    from anliegen.selfservice.services.article_index import uninstall

    uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("selfservice", "0002_articles"), ("search", "0001_search_structures")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
