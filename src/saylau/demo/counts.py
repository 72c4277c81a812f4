"""DEMO ONLY: the seeded numbers of the demo's counting stations (decision 0045).

    counting_stations(districts)      ~30 stations per district beside the two named ones:
                                      code, number, address, place, electors
    station_sheets(station, contests) the signed protocol of each of its contests (Typed),
                                      every control relation held

Electors in the hundreds to low thousands, turnout and shares varying by district and
station (a Dirichlet around the district's shares). Two stations are PLANTED anomalies for
the forensics to flag, and one the observers' copy disagrees with (demo.observers):

    ANOMALY_STUFFED   turnout 96 %, the leading candidate near 90 % (ballot stuffing)
    ANOMALY_ROUND     turnout exactly 70 % and every count ending in 0 (numbers written in)

These are DEMO numbers: no member of the roll stands behind a station's electors (only the
two named stations have paper lists; decision 0045 says why).
"""

from __future__ import annotations

from dataclasses import dataclass
from zlib import crc32

import numpy as np

from saylau.paper.entry import Typed
from saylau.protocol.manifest import Contest

PER_DISTRICT = 32  # counting stations per district, the named one included
SEED = 2026
#: (city, centre latitude, longitude, city districts) for the demo's registry districts
CITIES: dict[str, tuple[str, float, float, tuple[str, ...]]] = {
    "KZ-71": ("Астана", 51.1694, 71.4491, ("Сарыарқа", "Есіл", "Алматы", "Байқоңыр")),
    "KZ-75": ("Алматы", 43.2389, 76.8897, ("Алмалы", "Бостандық", "Әуезов", "Медеу")),
    "KZ-79": ("Шымкент", 42.3417, 69.5901, ("Әл-Фараби", "Абай", "Еңбекші", "Қаратау")),
}
STREETS = ("Абай", "Төле би", "Сейфуллин", "Жамбыл", "Бейбітшілік", "Достық", "Тәуелсіздік")
#: district → mean turnout; the candidates' shares differ by district too (seeded)
TURNOUT = {"KZ-71": 0.58, "KZ-75": 0.51, "KZ-79": 0.64}
ANOMALY_STUFFED = "DEMO-75-017"
ANOMALY_ROUND = "DEMO-79-023"
MARKS_PER_BALLOT = 2.2  # the maslikhat ballot's mean marks (up to 3)


@dataclass(frozen=True)
class CountingStation:
    code: str
    number: int
    district: str
    address: str
    latitude: str
    longitude: str
    electors: int


def _rng(*parts: object) -> np.random.Generator:
    return np.random.default_rng([SEED, *(crc32(str(p).encode()) for p in parts)])


def counting_stations(
    districts: tuple[str, ...], per_district: int = PER_DISTRICT
) -> list[CountingStation]:
    """The counting stations 002…`per_district` of each district (001 is the named one)."""
    out = []
    for district in districts:
        city, lat, lon, parts = CITIES.get(district, ("DEMO", 48.0, 67.0, ("Орталық",)))
        rng = _rng("stations", district)
        region = district.split("-")[1]
        for k in range(2, per_district + 1):
            street = STREETS[int(rng.integers(len(STREETS)))]
            part = parts[k % len(parts)]
            out.append(
                CountingStation(
                    code=f"DEMO-{region}-{k:03d}",
                    number=int(region) * 100 + k,
                    district=district,
                    address=(
                        f"{city}, {part} ауданы, {street} к-сі {int(rng.integers(1, 120))}, "
                        f"№ {int(rng.integers(1, 180))} мектеп (DEMO)"
                    ),
                    latitude=f"{lat + rng.normal(0, 0.03):.6f}",
                    longitude=f"{lon + rng.normal(0, 0.04):.6f}",
                    electors=int(rng.integers(300, 2400)),
                )
            )
    return out


def district_shares(district: str, contest: Contest) -> np.ndarray:
    """The contest's shares in the district: a seeded Dirichlet, "against all" small."""
    rng = _rng("shares", district, contest.id)
    weights = rng.gamma(np.linspace(4.0, 1.5, len(contest.options)))
    for j, option in enumerate(contest.options):
        if option.against_all:
            weights[j] = 0.25 * weights.mean()
    return np.asarray(weights / weights.sum())


def _turnout(station: CountingStation, rng: np.random.Generator) -> int:
    if station.code == ANOMALY_STUFFED:
        return round(0.96 * station.electors)
    if station.code == ANOMALY_ROUND:
        return electors_on_list(station) * 7 // 10  # exactly 70 % of a list in hundreds
    share = float(np.clip(rng.normal(TURNOUT.get(station.district, 0.55), 0.08), 0.25, 0.85))
    return round(share * station.electors)


def _votes(station: CountingStation, contest: Contest, valid: int) -> list[int]:
    rng = _rng("votes", station.code, contest.id)
    shares = district_shares(station.district, contest)
    if station.code == ANOMALY_STUFFED:
        lead = int(np.argmax(shares))
        shares = np.full(len(shares), 0.1 / (len(shares) - 1))
        shares[lead] = 0.9
    else:
        shares = rng.dirichlet(60 * shares)
    if contest.max_marks == 1:
        votes = [int(v) for v in rng.multinomial(valid, shares)]
    else:  # each option marked on at most every valid ballot, MARKS_PER_BALLOT on average
        chance = np.minimum(0.9, MARKS_PER_BALLOT * shares)
        votes = [int(v) for v in rng.binomial(valid, chance)]
    if station.code == ANOMALY_ROUND:
        votes = [10 * round(v / 10) for v in votes]
        if contest.max_marks == 1:  # the votes still add up to the valid ballots
            votes[0] += valid - sum(votes)
    return votes


def electors_on_list(station: CountingStation) -> int:
    """The electors on the station's list: its protocols' `voters_on_list`, and the
    `voters` of its stations-file row (decision 0048)."""
    return (
        100 * round(station.electors / 100) if station.code == ANOMALY_ROUND else station.electors
    )


def station_sheets(station: CountingStation, contests: list[Contest]) -> dict[str, Typed]:
    """contest id → the protocol the commission signs (the same voters for each contest)."""
    rng = _rng("turnout", station.code)
    electors = electors_on_list(station)
    issued = min(_turnout(station, rng), electors)
    received = electors + int(rng.integers(0, 40)) if station.code != ANOMALY_ROUND else electors
    spoiled = int(rng.integers(0, 4)) if station.code != ANOMALY_ROUND else 0
    out = {}
    for contest in contests:
        in_boxes = issued - int(rng.integers(0, 3))
        invalid = int(rng.binomial(in_boxes, 0.012))
        if station.code == ANOMALY_ROUND:
            in_boxes, invalid = issued, 0
        valid = in_boxes - invalid
        counts = {
            "voters_on_list": electors,
            "ballots_received": received,
            "ballots_issued": issued,
            "ballots_cancelled": received - issued - spoiled,
            "ballots_spoiled": spoiled,
            "ballots_lost": 0,
            "ballots_in_boxes": in_boxes,
            "invalid": invalid,
            "valid": valid,
        }
        votes = _votes(station, contest, valid)
        options = {o.id: v for o, v in zip(contest.options, votes, strict=True)}
        out[contest.id] = Typed(counts, options)
    return out
