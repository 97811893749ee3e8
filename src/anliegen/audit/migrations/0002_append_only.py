"""The database refuses updates and deletes of audit entries (see audit/triggers.py)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from anliegen.audit.triggers import install

    install(schema_editor.connection)


def backwards(apps, schema_editor):
    from anliegen.audit.triggers import uninstall

    uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
