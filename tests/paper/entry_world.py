"""An open election with one paper station per district and staff accounts in each role.

Station S-75 (district KZ-75) has operators `op1`, `op2` and supervisor `sup` on its
commission; station S-71 (KZ-71) has operator `far`; `org` is an organiser; `boss` a staff
supervisor on no commission; `aud` an auditor. The first voter of each district is on the
paper list of their district's station.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from PIL import Image

from saylau.paper.entry import Typed
from saylau.stations.models import CommissionMember, PaperAssignment, Station
from saylau.web import roles
from tests.voting.helpers import World, build_world

CONTEST = "KZ-75-mazhilis"
OPTIONS = [f"{CONTEST}-1", f"{CONTEST}-2", f"{CONTEST}-aa"]
PASSWORD = "paper-entry-test-pass"


@dataclass
class EntryWorld:
    world: World
    station: Station
    other: Station
    users: dict[str, User] = field(default_factory=dict)

    @property
    def election(self) -> Any:
        return self.world.election


def good_counts(**changes: int) -> Typed:
    """A protocol of station S-75 that holds every control relation (changes applied)."""
    counts = {
        "voters_on_list": 100,
        "ballots_received": 100,
        "ballots_issued": 80,
        "ballots_cancelled": 18,
        "ballots_spoiled": 1,
        "ballots_lost": 1,
        "ballots_in_boxes": 80,
        "invalid": 2,
        "valid": 78,
    }
    options = {OPTIONS[0]: 40, OPTIONS[1]: 30, OPTIONS[2]: 8}
    for name, value in changes.items():
        if name in counts:
            counts[name] = value
        else:
            options[f"{CONTEST}-{name.removeprefix('o')}"] = value
    return Typed(counts, options)


def png_bytes(size: tuple[int, int] = (8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 10, 200)).save(out, format="JPEG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _user(name: str, group: str | None, *, staff: bool = False) -> User:
    user = User.objects.create_user(name, password=PASSWORD, is_staff=staff)
    if group is not None:
        user.groups.add(Group.objects.get(name=group))
    return user


def build_entry_world(members_rows: Any) -> EntryWorld:
    world = build_world(members_rows)
    election = world.election
    station = Station.objects.create(election=election, code="S-75", number=1, district="KZ-75")
    other = Station.objects.create(election=election, code="S-71", number=2, district="KZ-71")
    users = {
        "op1": _user("op1", roles.COMMISSION_OPERATOR),
        "op2": _user("op2", roles.COMMISSION_OPERATOR),
        "sup": _user("sup", roles.COMMISSION_SUPERVISOR),
        "far": _user("far", roles.COMMISSION_OPERATOR),
        "org": _user("org", roles.ORGANISER, staff=True),
        "boss": _user("boss", roles.COMMISSION_SUPERVISOR, staff=True),
        "aud": _user("aud", roles.AUDITOR, staff=True),
        "nobody": _user("nobody", None),
    }
    for name, role in (("op1", "member"), ("op2", "secretary"), ("sup", "chair")):
        CommissionMember.objects.create(station=station, name=name, role=role, user=users[name])
    CommissionMember.objects.create(station=other, name="far", user=users["far"])
    for district, code in (("KZ-75", "S-75"), ("KZ-71", "S-71")):
        voter = next(v for v in world.voters if v.district == district)
        PaperAssignment.objects.create(election=election, member_id=voter.member_id, station=code)
    return EntryWorld(world, station, other, users)


@pytest.fixture
def ew(db, members, settings, tmp_path) -> EntryWorld:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    return build_entry_world(members)


def paper_voters(ew: EntryWorld) -> list[Any]:
    """The voters on the paper list of S-75, then the others of district KZ-75."""
    ids = set(PaperAssignment.objects.filter(station="S-75").values_list("member_id", flat=True))
    district = [v for v in ew.world.voters if v.district == "KZ-75"]
    return sorted(district, key=lambda v: v.member_id not in ids)
