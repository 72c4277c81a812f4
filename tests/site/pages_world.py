"""An open election for the page tests whose manifest names differ per language: districts,
contests, options and title in kk, ru and en (the voting tests' world has one name for all)."""

from __future__ import annotations

import copy
from typing import Any

from django.test import Client
from tests.voting.helpers import Api, World, build_world

from saylau.protocol.ballot import ElectionContext
from saylau.protocol.manifest import manifest_from_json

CITY = {
    "KZ-75": {"kk": "Алматы қаласы", "ru": "город Алматы", "en": "Almaty city"},
    "KZ-71": {"kk": "Астана қаласы", "ru": "город Астана", "en": "Astana city"},
}
TITLE = {
    "kk": "Партияның праймеризі 2026",
    "ru": "Праймериз партии 2026",
    "en": "Party primaries 2026",
}
CANDIDATES = [
    {"kk": "Айгүл Серікқызы", "ru": "Айгуль Сериковна", "en": "Aigul Serikovna"},
    {"kk": "Ержан Болатұлы", "ru": "Ержан Болатович", "en": "Yerzhan Bolatovich"},
    {"kk": "Бәріне қарсымын", "ru": "Против всех", "en": "Against all"},
]
#: the first candidate's party (the second stands as an independent)
PARTY = {"kk": "Жаңа жол партиясы", "ru": "Партия «Новый путь»", "en": "New Path Party"}


def localized(raw: dict[str, Any]) -> dict[str, Any]:
    manifest = copy.deepcopy(raw)
    manifest["title"] = dict(TITLE)
    for district in manifest["districts"]:
        district["name"] = dict(CITY[district["id"]])
    for contest in manifest["contests"]:
        city = CITY[contest["id"].split("-mazhilis")[0]]
        contest["name"] = {
            "kk": f"Мәжіліс, {city['kk']}",
            "ru": f"Мажилис, {city['ru']}",
            "en": f"Mazhilis, {city['en']}",
        }
        for option, name in zip(contest["options"], CANDIDATES, strict=True):
            option["name"] = dict(name)
        contest["options"][0]["party"] = dict(PARTY)
    return manifest


def page_world(members_rows, **kwargs: Any) -> World:
    """build_world, then the manifest with names per language (fingerprint recomputed)."""
    world = build_world(members_rows, **kwargs)
    election = world.election
    election.manifest = localized(election.manifest)
    world.ctx = ElectionContext.make(
        manifest_from_json(election.manifest), world.ctx.joint_public_key
    )
    election.fingerprint = world.ctx.fingerprint.hex()
    election.save(update_fields=["manifest", "fingerprint"])
    return world


def voted_page_world(members_rows) -> World:
    """page_world with IP policy "flag" and the last voter's ballot cast (`world.receipt`)."""
    world = page_world(members_rows, ip_policy="flag")
    api = Api(Client(), world.election.slug)
    voter = world.voters[-1]
    world.receipt = api.cast(world.ballot(voter), api.sign_in(voter)).json()["receipt"]
    return world


def tally(world: World) -> dict[str, Any]:
    """Mark the election tallied with made-up counts: results.json as the tally stores it."""
    from saylau.elections.models import Status, Tally

    results: dict[str, Any] = {"schema": "saylau-results/1", "districts": {}}
    for district in world.election.manifest["districts"]:
        contests = {}
        for contest in world.ctx.manifest.contests_for(district["id"]):
            contests[contest.id] = {o.id: i + 1 for i, o in enumerate(contest.options)}
        results["districts"][district["id"]] = {"ballots_counted": 6, "contests": contests}
    Tally.objects.create(election=world.election, sums={}, counts={}, results=results)
    world.election.status = Status.TALLIED
    world.election.save(update_fields=["status"])
    return results
