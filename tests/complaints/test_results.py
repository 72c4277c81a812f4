"""Sanctions of the committee's final decisions change the consolidated results (through
paper.sanction_source, registered by the complaints app) and the published record, which
verifies: a deregistered candidate, an annulled station, an annulled district."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from saylau.complaints import intake, workflow
from saylau.complaints.sanction_specs import SanctionSpec
from saylau.complaints.sanctions import effective
from saylau.demo import play as demo
from saylau.elections import services
from saylau.elections.models import Status
from saylau.paper import results, sanction_source
from saylau.protocol.documents import CONSOLIDATION, SANCTIONS
from saylau.protocol.sanctions import from_document
from saylau.record.verify import verify_record
from tests.complaints.world import staff
from tests.elections.conftest import close_roll, through_stage
from tests.paper.results_world import SEAT, add_paper, results_world
from tests.paper.test_record_parts import ROLL, SLUG, memory_board

pytestmark = pytest.mark.django_db
__all__ = ["memory_board"]  # the fixture
KZ71 = "kz-71-seat"


def test_the_app_is_the_results_source():
    assert sanction_source._providers == [effective]


def impose(election, users, *specs, final=True):
    """A complaint decided with `specs`, made final after its appeal window."""
    where = intake.places.Where(district="KZ-75")
    complaint, _code = intake.submit(
        election,
        intake.NewComplaint("vote_buying", "Paid votes.", where),
        channel="web",
        actor="public",
    )
    workflow.assign(complaint, users["chair"], users["mem"])
    decision = workflow.decide(
        complaint, users["chair"], substantiated=True, reasoning="Proven.", sanctions=specs
    )
    if final:
        late = decision.appeal_until + dt.timedelta(seconds=1)
        workflow.make_final(complaint, users["chair"], now=late)
    return decision


def contest(election, district, contest_id):
    return results.final_consolidation(election)["districts"][district]["contests"][contest_id]


def test_each_sanction_changes_the_consolidated_results():
    world = results_world()
    election, users = world.election, staff()
    assert contest(election, "KZ-71", KZ71)["winners"] == [f"{KZ71}-1"]  # 9 : 7
    deregister = SanctionSpec("deregister_candidate", option=f"{KZ71}-1")
    pending = impose(election, users, deregister, final=False)
    assert contest(election, "KZ-71", KZ71)["winners"] == [f"{KZ71}-1"]  # not final yet
    workflow.make_final(
        pending.complaint, users["chair"], now=pending.appeal_until + dt.timedelta(seconds=1)
    )
    deregistered = contest(election, "KZ-71", KZ71)
    assert deregistered["winners"] == [f"{KZ71}-2"] and deregistered["excluded"][f"{KZ71}-1"] == 9

    before = contest(election, "KZ-75", SEAT)
    impose(election, users, SanctionSpec("annul_station", station="S-002"))
    after = contest(election, "KZ-75", SEAT)
    assert after["annulled_stations"] == ["S-002"] and before["tie"]
    assert after["paper_stations"] == before["paper_stations"] - 1

    impose(election, users, SanctionSpec("annul_district", district="KZ-75"))
    for contest_id in (SEAT, "council"):
        annulled = contest(election, "KZ-75", contest_id)
        assert annulled["annulled"] and annulled["winners"] == []
    assert len(results.final_consolidation(election)["sanctions"]) == 3


def test_the_record_carries_the_final_sanctions_and_verifies(memory_board):
    election = services.create_election(
        demo.sample_manifest(SLUG), actor="test", trustees=3, threshold=2
    )
    close_roll(SLUG, ROLL)
    election, _info = through_stage(election, Status.TALLIED)
    add_paper(election)
    users = staff()
    impose(election, users, SanctionSpec("annul_station", station="S-002"))
    impose(
        election,
        users,
        SanctionSpec("deregister_candidate", district="KZ-75", option="council-1"),
        SanctionSpec("warning"),
    )
    impose(election, users, SanctionSpec("annul_district", district="KZ-71"), final=False)
    election = services.transition(election, Status.PUBLISHED, actor="test")
    record = services.records_dir(election)
    document = json.loads((record / SANCTIONS).read_text())
    assert from_document(document) == effective(election)
    assert [s["kind"] for s in document["sanctions"]] == [
        "annul_station",
        "deregister_candidate",
        "warning",
    ]  # the decision not yet final is not in it
    consolidation = json.loads((record / CONSOLIDATION).read_text())
    council = consolidation["districts"]["KZ-75"]["contests"]["council"]
    assert council["total"]["council-1"] == 0 and "council-1" not in council["winners"]
    report = verify_record(record, workers=1)
    assert report.ok, report.failures
    assert report.stats["sanctions"] == 3
