
import anliegen.channels.chat.models
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('core', '0004_brand_service_hours'),
    ]

    operations = [
        migrations.CreateModel(
            name='ChatSetup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('enabled', models.BooleanField(default=True, verbose_name='chat enabled')),
                ('origins', models.JSONField(blank=True, default=list, verbose_name='allowed origins')),
                ('brand', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='chat_setup', to='core.brand')),
            ],
            options={
                'verbose_name': 'chat setup',
                'verbose_name_plural': 'chat setups',
            },
        ),
        migrations.CreateModel(
            name='Conversation',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('key', models.CharField(default=anliegen.channels.chat.models.new_key, editable=False, max_length=40, unique=True)),
                ('name', models.CharField(blank=True, max_length=160, verbose_name='name')),
                ('email', models.EmailField(blank=True, max_length=254, verbose_name='e-mail for the rest')),
                ('language', models.CharField(blank=True, max_length=8)),
                ('page_url', models.CharField(blank=True, max_length=1000, verbose_name='page')),
                ('connections', models.IntegerField(default=0)),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('last_seen_at', models.DateTimeField(auto_now=True)),
                ('brand', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='core.brand')),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='core.case')),
            ],
            options={
                'verbose_name': 'chat conversation',
                'verbose_name_plural': 'chat conversations',
                'indexes': [models.Index(fields=['brand', 'last_seen_at'], name='chat_conv_brand_seen_idx')],
            },
        ),
    ]
