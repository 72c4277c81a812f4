"""`effective(election)`: the vote rule and the sanctions of final decisions, in the
register's order, in the record's shape (protocol.sanctions)."""

from __future__ import annotations

import datetime as dt

import pytest

from saylau.complaints import workflow
from saylau.complaints.models import CommitteeRules
from saylau.complaints.sanction_specs import SanctionSpec
from saylau.complaints.sanctions import effective
from saylau.protocol import sanctions as shape
from saylau.protocol.manifest import manifest_from_json
from tests.complaints.world import CANDIDATE

pytestmark = pytest.mark.django_db


def decide(cw, *specs, substantiated=True):
    complaint = workflow.assign(cw.complaint(), cw.users["chair"], cw.users["mem"])
    return workflow.decide(
        complaint,
        cw.users["chair"],
        substantiated=substantiated,
        reasoning="Proven.",
        sanctions=specs,
    )


def final(cw, decision):
    late = decision.appeal_until + dt.timedelta(seconds=1)
    return workflow.make_final(decision.complaint, cw.users["chair"], now=late)


def test_no_decision_no_sanction_and_the_default_rule(cw):
    assert effective(cw.election) == (shape.SET_ASIDE, ())


def test_only_final_decisions_count_in_register_order(cw):
    first = decide(cw, SanctionSpec("annul_station", station="S-75"))
    second = decide(
        cw,
        SanctionSpec("deregister_candidate", option=CANDIDATE),
        SanctionSpec("annul_district", district="KZ-71"),
    )
    assert effective(cw.election)[1] == ()
    final(cw, second)
    final(cw, first)
    rule, sanctions = effective(cw.election)
    assert [s.decision for s in sanctions] == [first.reference, second.reference, second.reference]
    assert [s.kind for s in sanctions] == [
        "annul_station",
        "deregister_candidate",
        "annul_district",
    ]
    assert sanctions[1].contest == "KZ-75-mazhilis" and sanctions[1].option == CANDIDATE
    assert sanctions[0].station == "S-75" and sanctions[0].district is None
    assert sanctions[0].decided_at.endswith("Z")
    assert len({s.id for s in sanctions}) == 3
    # They fit the manifest and the stations, as the verifier checks them.
    shape.check(
        manifest_from_json(cw.election.manifest), sanctions, {"S-75": "KZ-75", "S-71": "KZ-71"}
    )
    doc = shape.document(sanctions, rule)
    assert shape.from_document(doc) == (rule, sanctions)


def test_an_overturned_decision_imposes_nothing(cw):
    decision = decide(cw, SanctionSpec("annul_station", station="S-71"))
    workflow.log_appeal(decision.complaint, cw.users["op"], "Wrong station.")
    workflow.decide_appeal(decision.complaint, cw.users["chair"], upheld=False, reasoning="Yes.")
    assert effective(cw.election)[1] == ()


def test_the_configured_rule_and_no_member_id_published(cw):
    CommitteeRules.objects.create(election=cw.election, deregistered_votes=shape.INVALID)
    final(cw, decide(cw, SanctionSpec("exclude_member", member_id=cw.member.pk)))
    rule, sanctions = effective(cw.election)
    assert rule == shape.INVALID
    assert sanctions[0].kind == "exclude_member"
    assert set(sanctions[0].to_json()) == {"id", "kind", "decision", "decided_at"}
