"""Consolidated results: totals = online + paper, the tie and the 2-vote margin flagged, the
recount margin per election, paper alone (provisional) before the tally."""

from __future__ import annotations

import pytest

from saylau.paper import results
from saylau.paper.models import PaperSettings
from saylau.paper.paper_settings import recount_margin
from saylau.protocol.consolidation import consolidate
from saylau.protocol.manifest import manifest_from_json
from tests.paper.results_world import SEAT, results_world

pytestmark = pytest.mark.django_db


def contest(document, district, contest_id):
    return document["districts"][district]["contests"][contest_id]


def test_totals_are_the_online_votes_plus_the_paper_protocols():
    world = results_world()
    found = results.consolidated(world.election)
    assert not found.provisional
    seat = contest(found.document, "KZ-75", SEAT)
    # online 2 : 3, paper S-001 rev 2 (3 : 3) + S-002 (2 : 1 : 1)
    assert seat["online"] == {f"{SEAT}-1": 2, f"{SEAT}-2": 3, f"{SEAT}-3": 0, f"{SEAT}-aa": 0}
    assert seat["paper"] == {f"{SEAT}-1": 5, f"{SEAT}-2": 4, f"{SEAT}-3": 1, f"{SEAT}-aa": 0}
    assert seat["total"] == {f"{SEAT}-1": 7, f"{SEAT}-2": 7, f"{SEAT}-3": 1, f"{SEAT}-aa": 0}
    assert seat["paper_stations"] == 2 and seat["paper_valid"] == 10
    for d, entry in found.document["districts"].items():
        for c, numbers in entry["contests"].items():
            for option, total in numbers["total"].items():
                assert total == numbers["online"][option] + numbers["paper"][option], (d, c)
    assert found.document["districts"]["KZ-75"]["online_ballots"] == 10


def test_a_tie_and_a_two_vote_margin_are_flagged_for_recount():
    world = results_world()
    document = results.final_consolidation(world.election)
    seat = contest(document, "KZ-75", SEAT)
    assert seat["tie"] and seat["recount"] and seat["winners"] == [] and seat["margin"] == 0
    close = contest(document, "KZ-71", "kz-71-seat")
    assert close["total"]["kz-71-seat-1"] == 9 and close["total"]["kz-71-seat-2"] == 7
    assert close["winners"] == ["kz-71-seat-1"] and close["margin"] == 2
    assert close["recount"] and not close["tie"]
    council = contest(document, "KZ-75", "council")
    assert council["winners"] == ["council-1", "council-2"] and not council["recount"]
    assert document["recount_margin"] == 2


def test_the_recount_margin_is_set_per_election():
    world = results_world()
    assert recount_margin(world.election) == 2
    PaperSettings.objects.create(election=world.election, recount_margin=1)
    document = results.final_consolidation(world.election)
    assert document["recount_margin"] == 1
    assert not contest(document, "KZ-71", "kz-71-seat")["recount"]  # 2 > 1
    assert contest(document, "KZ-75", SEAT)["recount"]  # a tie is always flagged


def test_the_document_is_the_protocol_layers_consolidation():
    world = results_world()
    from saylau.paper.counting import counting_protocols

    expected = consolidate(
        manifest_from_json(world.election.manifest),
        world.election.tally.results["districts"],
        counting_protocols(world.election),
        2,
    )
    assert results.final_consolidation(world.election) == expected


def test_before_the_tally_the_paper_count_alone_is_provisional(english):
    world = results_world(tallied=False)
    found = results.consolidated(world.election)
    assert found.provisional
    seat = contest(found.document, "KZ-75", SEAT)
    assert set(seat["online"].values()) == {0}
    assert seat["total"] == seat["paper"]
    with pytest.raises(results.ConsolidationNotReady) as caught:
        results.final_consolidation(world.election)
    assert caught.value.status == 409 and "not counted yet" in str(caught.value)


def test_organisers_set_the_margin_in_the_admin_and_it_is_audited(client):
    from saylau.elections.models import AuditEvent
    from tests.elections.conftest import staff

    world = results_world()
    staff(client, "operator")
    assert client.get("/admin/paper/papersettings/add/").status_code == 403
    client.logout()
    staff(client, "organiser")
    answer = client.post(
        "/admin/paper/papersettings/add/",
        {"election": world.election.pk, "recount_margin": 5},
    )
    assert answer.status_code == 302, answer.content.decode()[:500]
    assert recount_margin(world.election) == 5
    event = AuditEvent.objects.get(action="paper.recount_margin_set")
    assert event.details == {"recount_margin": 5} and event.actor == "user:organiser-user"
    assert results.final_consolidation(world.election)["recount_margin"] == 5
