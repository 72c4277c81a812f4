"""The board's tables move from the voting app to the board app (decision 0019): in Django's
state only — the tables keep their names (`db_table`) and their data, and the PostgreSQL
append procedures (voting 0003/0004) keep working on them."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('elections', '0002_ceremony_seats_tally'),
        ('voting', '0004_first_cast_procedure'),  # the tables exist from voting 0001
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.CreateModel(
                name='BoardState',
                fields=[
                    ('election', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, primary_key=True, related_name='board_state', serialize=False, to='elections.election')),
                    ('size', models.BigIntegerField(default=0)),
                    ('frontier', models.BinaryField(default=b'')),
                    ('last_time', models.BigIntegerField(default=0)),
                    ('closed', models.BooleanField(default=False)),
                ],
                options={
                    'db_table': 'voting_boardstate',
                },
            ),
            migrations.CreateModel(
                name='Head',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('tree_size', models.BigIntegerField()),
                    ('timestamp', models.BigIntegerField()),
                    ('root_hash', models.BinaryField()),
                    ('signature', models.BinaryField()),
                    ('election', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='elections.election')),
                ],
                options={
                    'db_table': 'voting_head',
                    'ordering': ['election', 'tree_size'],
                    'constraints': [models.UniqueConstraint(fields=('election', 'tree_size'), name='voting_head_size')],
                },
            ),
            migrations.CreateModel(
                name='Leaf',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('index', models.BigIntegerField()),
                    ('data', models.BinaryField()),
                    ('leaf_hash', models.BinaryField()),
                    ('root_hash', models.BinaryField()),
                    ('kind', models.CharField(choices=[('open', 'opening'), ('cast', 'ballot'), ('revote', 'new ballot (re-vote)'), ('paper_override', 'voted on paper'), ('close', 'closing')], max_length=16)),
                    ('time', models.BigIntegerField()),
                    ('tracking_code', models.CharField(blank=True, max_length=64, null=True)),
                    ('credential', models.CharField(blank=True, max_length=64, null=True)),
                    ('replaces', models.CharField(blank=True, max_length=64, null=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True)),
                    ('election', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='elections.election')),
                ],
                options={
                    'db_table': 'voting_leaf',
                    'ordering': ['election', 'index'],
                    'indexes': [models.Index(fields=['election', 'credential', 'index'], name='voting_leaf_cred'), models.Index(fields=['election', 'replaces'], name='voting_leaf_replaces')],
                    'constraints': [models.UniqueConstraint(fields=('election', 'index'), name='voting_leaf_index'), models.UniqueConstraint(condition=models.Q(('tracking_code__isnull', False)), fields=('election', 'tracking_code'), name='voting_leaf_tracking_code')],
                },
            ),
            migrations.CreateModel(
                name='Node',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('level', models.PositiveSmallIntegerField()),
                    ('index', models.BigIntegerField()),
                    ('hash', models.BinaryField()),
                    ('election', models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='elections.election')),
                ],
                options={
                    'db_table': 'voting_node',
                    'constraints': [models.UniqueConstraint(fields=('election', 'level', 'index'), name='voting_node_pos')],
                },
            ),
            ],
        ),
    ]
