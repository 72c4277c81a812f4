"""A simulated election in saylau's own tables for the online signals and the report pages:
members on a closed roll (synthetic, valid IINs and phones), their public credentials, a
sign-in and a ballot each on the board at Poisson times over six hours, re-votes, and paper
stations with accepted protocols in both districts (enough for the station tests).

`attack=True` adds a burst from one network (80 members signing in and voting from one
address within two minutes, all in KZ-71) and a re-vote storm (90 re-votes in two minutes).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from saylau.board.models import Leaf, LeafKind
from saylau.demo import play as demo
from saylau.elections import services
from saylau.elections.models import Election, PublicCredential, Status
from saylau.registry.models import District, Member, RollDistrictCount, RollSnapshot
from saylau.registry.synth import generate
from saylau.stations.models import Station
from saylau.voting.models import SignInEvent
from tests.paper.results_world import mark_tallied, online_results, protocol

START = dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC)
MEMBER_BASE = 7_300_000  # member ids: distinctive numbers, so a leak would be seen
ATTACK_IP = "203.0.113.77"
DISTRICTS = {"KZ-75": ("Алматы", "Алматы", "Almaty"), "KZ-71": ("Астана", "Астана", "Astana")}


@dataclass
class OnlineWorld:
    election: Election
    iins: list[str] = field(default_factory=list)
    phones: list[str] = field(default_factory=list)
    member_ids: list[int] = field(default_factory=list)
    addresses: set[str] = field(default_factory=set)


def _districts() -> None:
    for code, (kk, ru, en) in DISTRICTS.items():
        District.objects.get_or_create(
            code=code, defaults={"name_kk": kk, "name_ru": ru, "name_en": en, "is_city": True}
        )


def _manifest(slug: str) -> dict:
    manifest = demo.sample_manifest(slug)
    for d in manifest["districts"]:
        d["name"] = dict(zip(("kk", "ru", "en"), DISTRICTS[d["id"]], strict=True))
    return manifest


def _stations(election: Election, rng: np.random.Generator) -> None:
    """36 stations per district, each with the district seat's protocol (vote for 1)."""
    for d_i, district in enumerate(DISTRICTS):
        seat = f"{district.lower()}-seat"
        for k in range(36):
            station = Station.objects.create(
                election=election,
                code=f"S-{d_i}{k:03d}",
                number=100 * d_i + k + 1,
                district=district,
                address=f"Street {k}",
            )
            valid = int(rng.integers(300, 900))
            shares = rng.dirichlet([6, 4, 2, 1])
            votes = rng.multinomial(valid, shares)
            options = {f"{seat}-{j + 1}": int(v) for j, v in enumerate(votes[:3])}
            options[f"{seat}-aa"] = int(votes[3])
            protocol(station, seat, options)


def simulated_election(
    slug: str, *, voters: int = 1500, attack: bool = False, seed: int = 11
) -> OnlineWorld:
    _districts()
    rng = np.random.default_rng(seed)
    election = services.create_election(_manifest(slug), actor="test", trustees=3, threshold=2)
    world = OnlineWorld(election)
    people = list(generate(voters, seed=seed))
    codes = list(DISTRICTS)
    members = []
    for i, person in enumerate(people):
        district = codes[0] if i % 5 < 3 else codes[1]  # 60 % in KZ-75
        members.append(
            Member(
                id=MEMBER_BASE + i,
                iin=person.iin,
                full_name=person.full_name,
                phone=person.phone,
                district_id=district,
                join_date=person.join_date,
            )
        )
        world.iins.append(person.iin)
        world.phones.append(person.phone)
        world.member_ids.append(MEMBER_BASE + i)
    Member.objects.bulk_create(members)
    roll = RollSnapshot.objects.create(
        election=slug, freeze_date=START.date(), status=RollSnapshot.Status.CLOSED, total=voters
    )
    for code in codes:
        count = sum(1 for m in members if m.district_id == code)
        RollDistrictCount.objects.create(snapshot=roll, district_id=code, count=count)
    PublicCredential.objects.bulk_create(
        PublicCredential(
            election=election, district=m.district_id, credential=f"{i:064x}", member_id=m.id
        )
        for i, m in enumerate(members)
    )
    span_ms = 6 * 3600 * 1000
    start_ms = int(START.timestamp() * 1000)
    events: list[tuple[int, str, str]] = []  # (time ms, kind, credential)
    signins: list[SignInEvent] = []
    turnout = rng.random(voters) < 0.7
    for i, m in enumerate(members):
        if not turnout[i]:
            continue
        household = i // 3 if rng.random() < 0.1 else i  # a few share a home network
        address = f"10.{(household >> 16) & 255}.{(household >> 8) & 255}.{household & 255}"
        world.addresses.add(address)
        t = start_ms + int(rng.integers(0, span_ms))
        at = dt.datetime.fromtimestamp((t - 40_000) / 1000, tz=dt.UTC)
        signins.append(SignInEvent(election=election, member_id=m.id, network=address, at=at))
        events.append((t, LeafKind.CAST, f"{i:064x}"))
        if rng.random() < 0.08:
            events.append((t + int(rng.integers(60_000, 3_600_000)), LeafKind.REVOTE, f"{i:064x}"))
    if attack:
        burst = start_ms + 2 * 3600 * 1000
        kz71 = [i for i, m in enumerate(members) if m.district_id == "KZ-71" and not turnout[i]]
        for k, i in enumerate(kz71[:80]):
            t = burst + k * 1500
            at = dt.datetime.fromtimestamp((t - 5_000) / 1000, tz=dt.UTC)
            signins.append(
                SignInEvent(election=election, member_id=members[i].id, network=ATTACK_IP, at=at)
            )
            events.append((t, LeafKind.CAST, f"{i:064x}"))
        world.addresses.add(ATTACK_IP)
        storm = start_ms + 4 * 3600 * 1000
        voted = [i for i in range(voters) if turnout[i]]
        for k, i in enumerate(voted[:90]):
            events.append((storm + k * 1300, LeafKind.REVOTE, f"{i:064x}"))
    SignInEvent.objects.bulk_create(signins)
    events.sort()
    Leaf.objects.bulk_create(
        Leaf(
            election=election,
            index=n,
            data=b"{}",
            leaf_hash=bytes(32),
            root_hash=bytes(32),
            kind=kind,
            time=t,
            tracking_code=f"t{n}",
            credential=credential,
        )
        for n, (t, kind, credential) in enumerate(events)
    )
    _stations(election, rng)
    election.status = Status.CLOSED
    election.save(update_fields=["status"])
    return world


def announce(world: OnlineWorld) -> None:
    """The online tally decrypted: the results are announced."""
    online = {"KZ-75": {"kz-75-seat": {"kz-75-seat-1": 300}}, "KZ-71": {}}
    mark_tallied(world.election, online_results(world.election, online))
