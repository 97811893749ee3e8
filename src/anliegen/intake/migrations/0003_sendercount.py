"""SenderCount from the e-mail app: the model takes over the existing table (rows kept), which is then renamed."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("intake", "0002_inbound_digest"),
        ("channel_email", "0003_sendercount_to_intake"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SenderCount",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("sender", models.CharField(max_length=254)),
                        ("bucket", models.BigIntegerField()),
                        ("count", models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        "db_table": "channel_email_sendercount",
                        "constraints": [
                            models.UniqueConstraint(fields=("sender", "bucket"), name="sendercount_sender_bucket_uniq")
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        # The table gets intake's name; its rows (the counts of the current buckets) come along.
        migrations.AlterModelTable(name="sendercount", table=None),
    ]
