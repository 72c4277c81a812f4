"""A small election for the committee's tests: two districts (KZ-75, KZ-71), a station in
each, one staff account per role, one registry member, and complaint helpers.

Built directly (no key ceremony): the complaints app reads only the manifest, the stations
and the registry.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import Group, User
from PIL import Image

from saylau.complaints import intake
from saylau.complaints.models import Complaint
from saylau.elections.models import Election
from saylau.registry import synth
from saylau.registry.models import District, Member
from saylau.stations.models import Station
from saylau.web import roles
from tests.voting.helpers import make_manifest

PASSWORD = "complaints-test-pass"
CONTEST = "KZ-75-mazhilis"
CANDIDATE = f"{CONTEST}-1"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 10, 10)).save(out, format="PNG")
    return out.getvalue()


@dataclass
class CommitteeWorld:
    election: Election
    member: Member
    users: dict[str, User] = field(default_factory=dict)

    def complaint(self, **changes: Any) -> Complaint:
        fields: dict[str, Any] = {
            "category": "vote_buying",
            "description": "Money was offered for votes at station S-75.",
            "where": intake.places.Where(district="KZ-75", station="S-75", option=CANDIDATE),
            "contact": intake.Contact(name="Aigerim", phone="+77011234567"),
        }
        fields.update(changes)
        complaint, _code = intake.submit(
            self.election, intake.NewComplaint(**fields), channel="web", actor="public"
        )
        return complaint


def _user(name: str, group: str | None, *, staff: bool = True) -> User:
    user = User.objects.create_user(name, password=PASSWORD, is_staff=staff)
    if group is not None:
        user.groups.add(Group.objects.get(name=group))
    return user


def staff() -> dict[str, User]:
    """One account per role (and one with none)."""
    roles.sync_groups()  # a transactional test's flush may have removed the groups
    return {
        "op": _user("op", roles.COMPLAINTS_OPERATOR),
        "mem": _user("mem", roles.COMMITTEE_MEMBER),
        "mem2": _user("mem2", roles.COMMITTEE_MEMBER),
        "chair": _user("chair", roles.COMMITTEE_CHAIR),
        "aud": _user("aud", roles.AUDITOR),
        "nobody": _user("nobody", None, staff=False),
    }


def build_committee_world(slug: str = "primaries-2026") -> CommitteeWorld:
    election = Election.objects.create(slug=slug, manifest=make_manifest(slug))
    Station.objects.create(election=election, code="S-75", number=1, district="KZ-75")
    Station.objects.create(election=election, code="S-71", number=2, district="KZ-71")
    row = next(iter(synth.generate(1, seed=7)))
    member = Member.objects.create(
        iin=row.iin,
        full_name=row.full_name,
        phone=row.phone,
        district=District.objects.get_or_create(
            code="KZ-75", defaults={"name_kk": "Алматы", "name_ru": "Алматы", "name_en": "Almaty"}
        )[0],
        join_date=dt.date(2019, 1, 1),
    )
    return CommitteeWorld(election, member, staff())


@pytest.fixture
def cw(db, settings, tmp_path) -> CommitteeWorld:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    settings.SAYLAU_SMS_BACKEND = "outbox"
    return build_committee_world()
