"""The examples in docs/stations-csv.md import as the text says (so they stay valid)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from saylau.stations import services
from tests.stations.conftest import stream

pytestmark = pytest.mark.django_db
DOC = Path(__file__).parents[2] / "docs" / "stations-csv.md"


def example(header: str) -> bytes:
    for block in re.findall(r"```\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S):
        if block.startswith(header):
            return block.encode()
    raise AssertionError(f"no example starting with {header!r}")


def test_the_examples_import(world):
    election = world.election
    report = services.import_stations(election, stream(example("code,number,district,address")))
    assert report.created == 2 and not report.rejected
    report = services.import_commission(election, stream(example("station,name,role")))
    assert report.created == 2 and not report.rejected
    voter = world.voters[0]
    assert voter.iin == "930525307917" and voter.district == "KZ-75"  # the example's member
    report = services.assign_paper_voters(election, stream(example("iin,station")))
    assert report.created == 1 and not report.rejected
    assert services.precinct_of_member(election, voter.member_id) == "ALM-1"
