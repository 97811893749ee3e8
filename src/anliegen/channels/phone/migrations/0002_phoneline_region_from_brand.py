"""The phone line's region was a copy of the brand's: the brand's `default_region` is the one place now.

A line read in another region than its brand (the brand still at the default DE) hands its region to the brand
before the column goes, so numbers are read as before.
"""

from django.db import migrations


def region_to_brand(apps: object, schema_editor: object) -> None:
    PhoneLine = apps.get_model("channel_phone", "PhoneLine")
    Brand = apps.get_model("core", "Brand")
    for line in PhoneLine.objects.exclude(region="DE").select_related("brand"):
        if line.brand.default_region == "DE":
            Brand.objects.filter(pk=line.brand_id).update(default_region=line.region)


class Migration(migrations.Migration):
    dependencies = [
        ("channel_phone", "0001_initial"),
        ("core", "0008_brand_languages_region"),
    ]

    operations = [
        migrations.RunPython(region_to_brand, migrations.RunPython.noop),
        migrations.RemoveField(model_name="phoneline", name="region"),
    ]
