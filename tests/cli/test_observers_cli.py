"""`saylau observers promote-absent`: an absent primary is replaced by the reserve."""

from __future__ import annotations

import datetime as dt

from typer.testing import CliRunner

from saylau.cli.main import app
from saylau.observation import accreditation as acc
from saylau.observation.models import Accreditation
from tests.observation.world import ow  # noqa: F401 - the fixture


def test_promote_absent_replaces_the_absent_primary(ow):  # noqa: F811
    now = dt.datetime.now(dt.UTC)
    start, end = now - dt.timedelta(hours=1), now + dt.timedelta(hours=5)
    acc.assign(ow.users["coord"], ow.observers["obs1"], ow.station, "primary", start, end)
    reserve = acc.assign(ow.users["coord"], ow.observers["obs2"], ow.station, "reserve", start, end)
    result = CliRunner().invoke(app, ["observers", "promote-absent", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "1 reserves promoted" in result.output
    assert Accreditation.objects.get(pk=reserve.pk).role == "primary"
