from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0008_brand_languages_region"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="message",
            index=models.Index(
                condition=models.Q(("delivery_claim", ""), _negated=True),
                fields=["delivery_lease_until"],
                name="message_claimed_idx",
            ),
        ),
    ]
