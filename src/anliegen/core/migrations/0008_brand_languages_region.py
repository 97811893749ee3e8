"""Brands name the languages they answer in and the region that reads national phone numbers."""

from django.db import migrations, models

import anliegen.core.models.brand


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_identity_chat_id"),
    ]

    operations = [
        migrations.AddField(
            model_name="brand",
            name="languages",
            field=models.JSONField(
                blank=True, default=anliegen.core.models.brand.default_languages, verbose_name="languages"
            ),
        ),
        migrations.AddField(
            model_name="brand",
            name="default_region",
            field=models.CharField(default="DE", max_length=2, verbose_name="default region"),
        ),
    ]
