"""A paper station's voter list: what the printed list shows (pdf.py sets it on paper).

The list holds each voter's full name and IIN masked to its last four digits (enough for the
commission to tell namesakes apart; the whole number is not needed to hand out a ballot).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from saylau.registry import services as registry
from saylau.stations import manifest
from saylau.stations.errors import VoterListLanguage
from saylau.stations.models import CommissionMember, PaperAssignment, Station

LANGUAGES = ("kk", "ru")
CHUNK = 900  # ids per query: under SQLite's parameter limit


@dataclass(frozen=True, slots=True)
class Voter:
    number: int
    full_name: str
    masked_iin: str


@dataclass(frozen=True, slots=True)
class VoterList:
    language: str
    title: str
    station_code: str
    station_number: int
    address: str
    district: str
    voters: list[Voter]
    chair: str | None
    secretary: str | None


def mask_iin(iin: str) -> str:
    """All but the last four digits hidden: ``********1234``."""
    return "*" * (len(iin) - 4) + iin[-4:]


def check_language(language: str) -> str:
    if language not in LANGUAGES:
        raise VoterListLanguage(
            _("Voter lists are printed in Kazakh (kk) or Russian (ru), not “%(lang)s”.")
            % {"lang": language[:10]}
        )
    return language


def _voters(election: Any, station: Station) -> list[Voter]:
    ids = list(
        PaperAssignment.objects.filter(election_id=election.pk, station=station.code).values_list(
            "member_id", flat=True
        )
    )
    rows: list[tuple[str, str]] = []
    members = registry.roll_members(election.slug)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        rows.extend(members.filter(pk__in=chunk).values_list("full_name", "iin"))
    rows.sort(key=lambda row: (row[0].casefold(), row[1]))
    return [Voter(n, name, mask_iin(iin)) for n, (name, iin) in enumerate(rows, start=1)]


def _holder(station: Station, role: str) -> str | None:
    name: str | None = (
        CommissionMember.objects.filter(station=station, role=role)
        .values_list("name", flat=True)
        .first()
    )
    return name


def voter_list(election: Any, station: Station, language: str) -> VoterList:
    """The list of `station`'s paper voters, alphabetical, with its header in `language`."""
    check_language(language)
    return VoterList(
        language=language,
        title=manifest.title(election, language),
        station_code=station.code,
        station_number=station.number,
        address=station.address,
        district=manifest.district_name(election, station.district, language),
        voters=_voters(election, station),
        chair=_holder(station, CommissionMember.Role.CHAIR),
        secretary=_holder(station, CommissionMember.Role.SECRETARY),
    )
