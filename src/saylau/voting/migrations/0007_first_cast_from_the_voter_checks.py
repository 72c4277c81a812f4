"""PostgreSQL: `saylau_append_first_cast` built from the voter's checks (decision 0026), in
place of 0004's copy of them; it takes the election's slug too. Nothing on SQLite.

It installs the procedure as `voting.first_cast_procedure` builds it when the migration runs,
not a frozen copy: PL/pgSQL resolves tables and columns when the procedure first runs, not
when it is created, so the newest text installs at any point of the history. A later change
of the checks adds a migration that installs again and names the new DIGEST
(tests/voting/test_voter_checks.py asks for it); until it runs, first casts take the
look-up's way. Backwards, 0004's procedure comes back.
"""

import importlib
from typing import Any

from django.db import migrations

from saylau.voting import first_cast_procedure

# first_cast_procedure.DIGEST of the text this migration was written for
INSTALLS = "9317b12a1f1c0588e5778a373938926f4ab2b59be5b7419b93a1f4f5671ee740"


def _install(apps: Any, schema_editor: Any) -> None:
    first_cast_procedure.install(schema_editor)


def _back_to_0004(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        earlier = importlib.import_module("saylau.voting.migrations.0004_first_cast_procedure")
        schema_editor.execute(f"DROP PROCEDURE IF EXISTS {first_cast_procedure.SIGNATURE}")
        schema_editor.execute(earlier.CREATE)


class Migration(migrations.Migration):
    dependencies = [("voting", "0006_board_tables_to_board_app")]

    operations = [migrations.RunPython(_install, _back_to_0004)]
