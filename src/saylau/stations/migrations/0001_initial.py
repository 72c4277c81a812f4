"""Who votes on paper at which polling station (the stations app's first table)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('elections', '0002_ceremony_seats_tally'),
    ]

    operations = [
        migrations.CreateModel(
            name='PaperAssignment',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('member_id', models.BigIntegerField()),
                ('station', models.CharField(max_length=64)),
                ('election', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='elections.election')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('election', 'member_id'), name='stations_paper_member')],
            },
        ),
    ]
