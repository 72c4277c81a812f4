"""Sanctions in a simulated election (simulate/sanctions.py): the plan is carried out as
asked — a warning, the first stations annulled, the first winners deregistered, the last
districts annulled — the consolidation applies them and the record verifies; a plan the
election cannot carry is refused by name."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from saylau.protocol.documents import CONSOLIDATION, SANCTIONS
from saylau.protocol.manifest import manifest_from_json
from saylau.protocol.sanctions import SET_ASIDE, from_document
from saylau.record.verify import verify_record
from saylau.simulate.manifest_gen import make_manifest
from saylau.simulate.run import SimConfig, run
from saylau.simulate.sanctions import PlanDoesNotFit, SanctionPlan, impose


def test_the_plan_is_carried_out_and_the_record_verifies(tmp_path: Path) -> None:
    out = tmp_path / "rec"
    plan = SanctionPlan(annul_stations=2, deregister=1, annul_districts=1)
    res = run(
        SimConfig(
            voters=60,
            paper_rate=0.3,
            paper_stations=4,
            out=out,
            workers=1,
            seed="sim-sanctions",
            sanctions=plan,
        )
    )
    rule, sanctions = from_document(json.loads((out / SANCTIONS).read_text()))
    assert rule == SET_ASIDE and res.stats["sanctions"] == len(sanctions) == 5
    assert [s.kind for s in sanctions] == [
        "warning",
        "annul_station",
        "annul_station",
        "deregister_candidate",
        "annul_district",
    ]
    assert [s.station for s in sanctions[1:3]] == ["PS-0001", "PS-0002"]
    manifest = manifest_from_json(json.loads((out / "manifest.json").read_text()))
    assert sanctions[-1].district == manifest.districts[-1].id
    doc = json.loads((out / CONSOLIDATION).read_text())
    dereg = sanctions[3]
    assert dereg.district and dereg.contest and dereg.option
    entry = doc["districts"][dereg.district]["contests"][dereg.contest]
    assert dereg.option in entry["excluded"] and dereg.option not in entry["winners"]
    assert verify_record(out, workers=1).ok


@pytest.mark.parametrize(
    ("plan", "what"),
    [
        (SanctionPlan(annul_stations=1), "stations"),
        (SanctionPlan(annul_districts=2), "districts"),
        (SanctionPlan(deregister=1), "winners"),
    ],
)
def test_a_plan_that_does_not_fit(plan: SanctionPlan, what: str) -> None:
    manifest = manifest_from_json(make_manifest("e", 2))
    empty = {
        "districts": {
            d.id: {"contests": {c.id: {"winners": []} for c in manifest.contests_for(d.id)}}
            for d in manifest.districts
        }
    }
    with pytest.raises(PlanDoesNotFit) as caught:
        impose(plan, manifest, [], empty)
    assert caught.value.what == what
