"""The consolidated results are cached per election (paper.results_cache, decision 0040):
two views consolidate once, and a new accepted protocol, a new sanction, a new recount margin
or the decrypted tally change the page at once."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import timezone

from saylau.paper import results
from saylau.paper.models import PaperSettings, Protocol
from saylau.protocol.sanctions import ANNUL_STATION, SET_ASIDE
from tests.paper.results_world import SEAT, mark_tallied, online_results, protocol, results_world
from tests.paper.results_world import votes as option_votes
from tests.paper.sanctions_world import decided, sanction

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.paper.results_site_urls")]
__all__ = ["decided"]  # the fixture


@pytest.fixture
def calls(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many times the results consolidated (the real consolidate, counted)."""
    made: list[int] = []
    real = results.consolidate

    def counted(*args: Any, **kwargs: Any) -> dict[str, Any]:
        made.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(results, "consolidate", counted)
    yield made


def document(client, world) -> dict[str, Any]:
    answer = client.get(f"/en/results/{world.election.slug}/results.json")
    assert answer.status_code == 200
    found: dict[str, Any] = answer.json()
    return found


def seat(doc: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = doc["districts"]["KZ-75"]["contests"][SEAT]
    return found


def test_two_views_consolidate_once(client, calls):
    world = results_world()
    slug = world.election.slug
    first = document(client, world)
    assert client.get(f"/en/results/{slug}/").status_code == 200
    assert client.get(f"/ru/results/{slug}/").status_code == 200
    assert document(client, world) == first
    assert len(calls) == 1


def test_a_newly_accepted_revision_shows_at_once(client, calls):
    world = results_world()
    before = seat(document(client, world))
    assert before["paper"][f"{SEAT}-1"] == 5  # S-001 revision 2 (3) + S-002 (2)
    # S-001's draft revision 3 (9 votes for candidate 1) accepted, as paper.entry does it
    draft = Protocol.objects.get(station=world.stations["S-001"], contest=SEAT, revision=3)
    draft.status, draft.accepted_at = Protocol.Status.ACCEPTED, timezone.now()
    draft.reason = "Recounted again"
    draft.save(update_fields=["status", "accepted_at", "reason"])
    Protocol.objects.filter(station=world.stations["S-001"], contest=SEAT, revision=2).update(
        status=Protocol.Status.SUPERSEDED
    )
    after = seat(document(client, world))
    assert after["paper"][f"{SEAT}-1"] == 11  # 9 + 2
    assert len(calls) == 2
    assert seat(document(client, world)) == after and len(calls) == 2


def test_a_new_protocol_shows_at_once(client, calls):
    world = results_world()
    assert (
        document(client, world)["districts"]["KZ-75"]["contests"]["council"]["paper_stations"] == 1
    )
    e = world.election
    protocol(world.stations["S-002"], "council", option_votes(e, "council", c2=6), valid=6)
    council = document(client, world)["districts"]["KZ-75"]["contests"]["council"]
    assert council["paper_stations"] == 2 and council["paper"]["council-2"] == 14
    assert len(calls) == 2


def test_a_new_sanction_shows_at_once(client, calls, decided):
    world = results_world()
    assert "sanctions" not in document(client, world)
    decided[world.election.slug] = (SET_ASIDE, (sanction(1, ANNUL_STATION, station="S-002"),))
    after = document(client, world)
    assert after["sanctions"] == ["S-1"]
    assert seat(after)["annulled_stations"] == ["S-002"]
    assert len(calls) == 2
    decided.clear()
    assert "sanctions" not in document(client, world)
    assert len(calls) == 2  # the first consolidation again, still cached


def test_the_margin_and_the_tally_show_at_once(client, calls):
    world = results_world(tallied=False)
    slug = world.election.slug
    assert client.get(f"/en/results/{slug}/results.json").status_code == 409  # provisional
    online = {"KZ-75": {SEAT: {f"{SEAT}-1": 2}}, "KZ-71": {}}
    mark_tallied(world.election, online_results(world.election, online))
    doc = document(client, world)
    assert seat(doc)["online"][f"{SEAT}-1"] == 2 and doc["recount_margin"] == 2
    PaperSettings.objects.create(election=world.election, recount_margin=0)
    assert document(client, world)["recount_margin"] == 0
    assert len(calls) == 3
