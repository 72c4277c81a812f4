"""One index less per table on the cast's path, and no compression attempt on leaf bytes.

The election foreign keys of Leaf and Node lose their own index: the unique indexes
(election, index) and (election, level, index) start with the election and serve every
look-up by it. On PostgreSQL `voting_leaf.data` is stored EXTERNAL: out of line, never
compressed — a ballot is mostly hex, pglz gave up on it every time, after trying (measured:
0.22 → 0.13 ms of PostgreSQL CPU per 6 KB insert).
"""

from collections.abc import Callable
from typing import Any

import django.db.models.deletion
from django.db import migrations, models


def _storage(storage: str) -> Callable[[Any, Any], None]:
    def run(apps: Any, schema_editor: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE voting_leaf ALTER COLUMN data SET STORAGE {storage}"
            )

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("elections", "0002_ceremony_seats_tally"),
        ("voting", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="leaf",
            name="election",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="elections.election",
            ),
        ),
        migrations.AlterField(
            model_name="node",
            name="election",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="elections.election",
            ),
        ),
        migrations.RunPython(_storage("EXTERNAL"), _storage("EXTENDED")),
    ]
