
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0004_brand_service_hours'),
        ('intake', '0001_initial'),
    ]

    operations = [
        migrations.CreateModel(
            name='AppKey',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=120, verbose_name='name')),
                ('prefix', models.CharField(max_length=16, unique=True)),
                ('key_hash', models.CharField(max_length=64)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('last_used_at', models.DateTimeField(blank=True, null=True)),
                ('revoked_at', models.DateTimeField(blank=True, null=True, verbose_name='revoked')),
                ('brand', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='app_keys', to='core.brand')),
            ],
            options={
                'verbose_name': 'app API key',
                'verbose_name_plural': 'app API keys',
            },
        ),
        migrations.CreateModel(
            name='ReportGroup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('fingerprint', models.CharField(max_length=32)),
                ('app_version', models.CharField(blank=True, max_length=60)),
                ('signature', models.CharField(blank=True, max_length=300)),
                ('count', models.PositiveIntegerField(default=0)),
                ('first_seen_at', models.DateTimeField(auto_now_add=True)),
                ('last_seen_at', models.DateTimeField(auto_now=True)),
                ('brand', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='core.brand')),
            ],
        ),
        migrations.CreateModel(
            name='Report',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('answer_via', models.CharField(default='poll', max_length=10)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='core.case')),
                ('inbound', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='intake.inbound')),
                ('group', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reports', to='appreports.reportgroup')),
            ],
        ),
        migrations.AddConstraint(
            model_name='reportgroup',
            constraint=models.UniqueConstraint(fields=('brand', 'fingerprint'), name='reportgroup_brand_fp_uniq'),
        ),
    ]
