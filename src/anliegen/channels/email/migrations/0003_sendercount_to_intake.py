"""SenderCount moves to intake (it counts every channel's senders): the model leaves this app, its table stays
and intake.0003 takes it over with its rows."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("channel_email", "0002_mailbox_sendercount"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="SenderCount")],
            database_operations=[],
        ),
    ]
