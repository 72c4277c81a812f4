"""The election's inputs for the end-to-end test: its manifest, the synthetic members of its
roll (IINs and phones Private) and the voters' random valid choices."""

from __future__ import annotations

import dataclasses
import random
from typing import Any

from saylau.registry import synth
from tests.e2e.processes import Private

SLUG = "e2e-primaries"
DISTRICTS = ("KZ-71", "KZ-75")
PER_DISTRICT = 3
FREEZE = "2020-09-11"  # the synthetic members joined before it (synth.DEFAULT_AS_OF)


def manifest() -> dict[str, Any]:
    """Per district a vote-for-1 seat (3 candidates and "against all"); one shared
    vote-for-up-to-2 council (4 candidates and "against all")."""

    def options(prefix: str, n: int) -> list[dict[str, Any]]:
        people = [
            {
                "id": f"{prefix}-{k}",
                "name": {"kk": f"Үміткер {k}", "ru": f"Кандидат {k}", "en": f"Candidate {k}"},
            }
            for k in range(1, n + 1)
        ]
        against = {"kk": "Барлығына қарсы", "ru": "Против всех", "en": "Against all"}
        return [*people, {"id": f"{prefix}-aa", "name": against, "against_all": True}]

    contests = [
        {
            "id": "council",
            "name": {"kk": "Кеңес", "ru": "Совет", "en": "Council"},
            "min_marks": 0,
            "max_marks": 2,
            "options": options("council", 4),
        }
    ]
    districts, styles = [], []
    for code in DISTRICTS:
        seat = f"{code.lower()}-seat"
        contests.append(
            {
                "id": seat,
                "name": {"kk": f"{code} орны", "ru": f"Место {code}", "en": f"{code} seat"},
                "min_marks": 1,
                "max_marks": 1,
                "options": options(seat, 3),
            }
        )
        styles.append({"id": f"{code.lower()}-style", "contests": [seat, "council"]})
        districts.append({"id": code, "ballot_style": f"{code.lower()}-style"})
    return {
        "schema": "saylau-manifest/1",
        "election_id": SLUG,
        "title": {"kk": "Праймериз (e2e)", "ru": "Праймериз (e2e)", "en": "Primaries (e2e)"},
        "districts": districts,
        "ballot_styles": styles,
        "contests": contests,
    }


def contests_of(doc: dict[str, Any], district: str) -> list[dict[str, Any]]:
    style = next(d["ballot_style"] for d in doc["districts"] if d["id"] == district)
    ids = next(s["contests"] for s in doc["ballot_styles"] if s["id"] == style)
    return [c for c in doc["contests"] if c["id"] in ids]


def members() -> list[synth.SyntheticMember]:
    """PER_DISTRICT synthetic members in each of DISTRICTS (IIN and phone Private)."""
    found: dict[str, list[synth.SyntheticMember]] = {code: [] for code in DISTRICTS}
    for person in synth.generate(2000, seed=13):
        group = found.get(person.district)
        if group is not None and len(group) < PER_DISTRICT:
            group.append(person)
    people = [p for code in DISTRICTS for p in found[code]]
    assert len(people) == PER_DISTRICT * len(DISTRICTS)
    return [dataclasses.replace(p, iin=Private(p.iin), phone=Private(p.phone)) for p in people]


def random_marks(contest: dict[str, Any], rnd: random.Random) -> list[int]:
    """A valid selection: `against all` alone, or between min and max candidates."""
    options = contest["options"]
    marks = [0] * len(options)
    people = [k for k, o in enumerate(options) if not o.get("against_all")]
    if rnd.random() < 0.2:
        marks[next(k for k, o in enumerate(options) if o.get("against_all"))] = 1
        return marks
    for k in rnd.sample(people, rnd.randint(max(1, contest["min_marks"]), contest["max_marks"])):
        marks[k] = 1
    return marks
