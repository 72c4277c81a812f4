"""Sign-in rows keyed on the IIN + phone pair, not the IIN (decision 0021).

The old keys (an HMAC of the IIN alone) cannot be turned into pair keys, so the old guard
and challenge rows are dropped: a code pending at the upgrade must be asked for again, and a
pause in force is lifted.
"""

from typing import Any

from django.db import migrations, models


def drop_sign_in_state(apps: Any, schema_editor: Any) -> None:
    apps.get_model("voting", "Challenge").objects.all().delete()
    apps.get_model("voting", "SignInGuard").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("voting", "0004_first_cast_procedure")]

    operations = [
        migrations.RunPython(drop_sign_in_state, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="signinguard", name="voting_guard_iin"),
        migrations.RemoveIndex(model_name="challenge", name="voting_challenge_iin"),
        migrations.RemoveField(model_name="signinguard", name="iin_key"),
        migrations.RemoveField(model_name="challenge", name="iin_key"),
        migrations.AddField(
            model_name="signinguard",
            name="pair_key",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="challenge",
            name="pair_key",
            field=models.CharField(default="", max_length=64),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="challenge",
            name="paused_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name="signinguard",
            constraint=models.UniqueConstraint(
                fields=("election", "pair_key"), name="voting_guard_pair"
            ),
        ),
        migrations.AddIndex(
            model_name="challenge",
            index=models.Index(fields=["election", "pair_key"], name="voting_challenge_pair"),
        ),
    ]
