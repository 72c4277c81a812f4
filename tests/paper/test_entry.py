"""Double entry through the services: every status transition, conflicts and their
settlement, relation failures kept as drafts, nothing typed lost."""

from __future__ import annotations

import pytest

from saylau.elections.models import AuditEvent
from saylau.paper import services
from saylau.paper.entry import Typed
from saylau.paper.entry_errors import InvalidEntry, NotFound, SameOperator, WrongState
from saylau.paper.models import Protocol, ProtocolEntry, Resolution
from tests.paper.entry_world import CONTEST, OPTIONS, PDF, ew, good_counts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
__all__ = ["ew"]  # the fixture


def enter(ew, name, typed, contest=CONTEST):
    return services.submit_entry(ew.election, ew.station, contest, ew.users[name], typed)


def scan(ew, protocol, name="op1", data=PDF):
    return services.upload_scan(protocol, ew.users[name], data)


def fresh(protocol):
    return Protocol.objects.get(pk=protocol.pk)


def test_equal_entries_and_scan_accept(ew):
    first = enter(ew, "op1", good_counts())
    assert fresh(first).status == "draft" and fresh(first).counts is None
    second = enter(ew, "op2", good_counts())
    p = fresh(second)
    assert p.pk == first.pk and p.status == "draft" and p.failures == []
    assert p.counts == good_counts().counts and p.options == good_counts().options
    assert p.entry_round == 2  # the round settled
    scan(ew, p)
    p = fresh(p)
    assert p.status == "accepted" and p.accepted_at is not None
    assert len(p.scan_sha256) == 64
    actions = list(AuditEvent.objects.values_list("action", flat=True))
    assert actions[-5:] == [
        "paper.protocol_entered",
        "paper.protocol_entered",
        "paper.protocol_settled",
        "paper.scan_uploaded",
        "paper.protocol_accepted",
    ]


def test_scan_first_then_equal_entries_accept(ew):
    enter(ew, "op1", good_counts())
    p = Protocol.objects.get()
    scan(ew, p)
    assert fresh(p).status == "draft"  # no settled lines yet
    enter(ew, "op2", good_counts())
    assert fresh(p).status == "accepted"


def test_no_scan_no_acceptance(ew):
    enter(ew, "op1", good_counts())
    p = enter(ew, "op2", good_counts())
    assert fresh(p).status == "draft" and fresh(p).scan_sha256 == ""


def test_the_same_operator_twice_is_refused(ew):
    enter(ew, "op1", good_counts())
    with pytest.raises(SameOperator) as refused:
        enter(ew, "op1", good_counts())
    assert "another operator" in str(refused.value)
    assert ProtocolEntry.objects.count() == 1


def test_relation_failures_keep_a_draft_with_them(ew):
    bad = good_counts(ballots_issued=101, o1=41)  # issued > received, > list; options ≠ valid
    enter(ew, "op1", bad)
    p = enter(ew, "op2", bad)
    scan(ew, p)
    p = fresh(p)
    assert p.status == "draft"
    codes = [f["code"] for f in p.failures]
    assert codes == [
        "issued_le_received",
        "received_balance",
        "options_sum_valid",
        "issued_le_list",
    ]
    assert p.failures[0]["params"] == {"issued": 101, "received": 100}
    assert p.counts["ballots_issued"] == 101  # kept, not lost
    # a new double entry corrects it; the first round's entries are kept
    enter(ew, "op2", good_counts())
    assert fresh(p).status == "draft"  # half a round typed: not accepted yet
    enter(ew, "op1", good_counts())
    p = fresh(p)
    assert p.status == "accepted" and p.failures == []
    assert ProtocolEntry.objects.filter(protocol=p).count() == 4
    assert sorted(ProtocolEntry.objects.values_list("round", "number")) == [
        (1, 1),
        (1, 2),
        (2, 1),
        (2, 2),
    ]


def test_a_conflict_is_settled_by_the_supervisor(ew):
    enter(ew, "op1", good_counts())
    p = enter(ew, "op2", good_counts(invalid=3, o2=31))
    p = fresh(p)
    assert p.status == "conflict" and p.counts is None
    with pytest.raises(WrongState):
        enter(ew, "op1", good_counts())  # no third entry while in conflict
    scan(ew, p)
    with pytest.raises(InvalidEntry):  # every differing line, and only those
        services.resolve(p, ew.users["sup"], {("counts", "invalid"): 2})
    with pytest.raises(InvalidEntry):
        services.resolve(
            p, ew.users["sup"], {("counts", "invalid"): 2, ("options", OPTIONS[1]): -1}
        )
    services.resolve(p, ew.users["sup"], {("counts", "invalid"): 2, ("options", OPTIONS[1]): 30})
    p = fresh(p)
    assert p.status == "accepted" and p.counts == good_counts().counts
    resolution = Resolution.objects.get()
    assert resolution.values == {"counts": {"invalid": 2}, "options": {OPTIONS[1]: 30}}
    assert resolution.supervisor == ew.users["sup"]
    with pytest.raises(WrongState):
        services.resolve(p, ew.users["sup"], {})


def test_a_settlement_that_breaks_a_relation_stays_a_draft(ew):
    enter(ew, "op1", good_counts())
    p = enter(ew, "op2", good_counts(invalid=3))
    services.resolve(fresh(p), ew.users["sup"], {("counts", "invalid"): 3})
    p = fresh(p)
    assert p.status == "draft"
    assert [f["code"] for f in p.failures] == ["valid_plus_invalid"]


def test_a_conflict_sent_back_is_entered_again(ew):
    enter(ew, "op1", good_counts())
    p = enter(ew, "op2", good_counts(valid=77))
    services.request_reentry(fresh(p), ew.users["sup"])
    p = fresh(p)
    assert p.status == "draft" and p.entry_round == 2
    enter(ew, "op2", good_counts())
    enter(ew, "op1", good_counts())
    assert fresh(p).status == "draft" and fresh(p).failures == []
    assert ProtocolEntry.objects.filter(round=1).count() == 2  # the differing ones kept


def test_an_accepted_protocol_takes_no_entry(ew):
    enter(ew, "op1", good_counts())
    p = enter(ew, "op2", good_counts())
    scan(ew, p)
    with pytest.raises(WrongState) as refused:
        enter(ew, "op1", good_counts(valid=70))
    assert "recount" in str(refused.value)


@pytest.mark.parametrize(
    "typed",
    [
        Typed({**good_counts().counts, "valid": -1}, good_counts().options),
        Typed(
            {k: v for k, v in good_counts().counts.items() if k != "valid"}, good_counts().options
        ),
        Typed(good_counts().counts, {OPTIONS[0]: 1}),
        Typed({**good_counts().counts, "extra": 1}, good_counts().options),
    ],
)
def test_bad_numbers_are_refused_before_anything_is_stored(ew, typed):
    with pytest.raises(InvalidEntry):
        enter(ew, "op1", typed)
    assert ProtocolEntry.objects.count() == 0


def test_a_contest_not_on_the_stations_ballot(ew):
    with pytest.raises(NotFound):
        enter(ew, "op1", good_counts(), contest="KZ-71-mazhilis")


def test_protocols_of(ew):
    enter(ew, "op1", good_counts())
    assert [p.contest for p in services.protocols_of(ew.election)] == [CONTEST]
    assert list(services.protocols_of(ew.election, ew.other)) == []
