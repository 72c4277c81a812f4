"""The board's models leave the voting app's state for the board app's (board 0001); the
tables stay where they are, under their names (decision 0019)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0005_signin_keyed_guard"),
        ("board", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.RemoveField(
                    model_name="head",
                    name="election",
                ),
                migrations.RemoveField(
                    model_name="leaf",
                    name="election",
                ),
                migrations.RemoveField(
                    model_name="node",
                    name="election",
                ),
                migrations.DeleteModel(
                    name="BoardState",
                ),
                migrations.DeleteModel(
                    name="Head",
                ),
                migrations.DeleteModel(
                    name="Leaf",
                ),
                migrations.DeleteModel(
                    name="Node",
                ),
            ],
        ),
    ]
