"""What a complaint may name in its election: districts, stations, candidates (the manifest's
and the stations app's), and the check that what was named exists."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from saylau.complaints.errors import ComplaintError
from saylau.elections.models import Election
from saylau.protocol.manifest import Manifest, manifest_from_json, name_in
from saylau.stations.models import Station


@dataclass(frozen=True)
class Where:
    district: str = ""
    station: str = ""
    online: bool = False
    option: str = ""


def manifest_of(election: Election) -> Manifest:
    return manifest_from_json(election.manifest)


def district_choices(election: Election, language: str) -> list[tuple[str, str]]:
    return [(d.id, name_in(d.name, language) or d.id) for d in manifest_of(election).districts]


def candidate_choices(election: Election, language: str) -> list[tuple[str, str]]:
    """Every candidate (not "against all") as (option id, "name — contest")."""
    out = []
    for contest in manifest_of(election).contests:
        title = name_in(contest.name, language) or contest.id
        for option in contest.options:
            if not option.against_all:
                out.append((option.id, f"{name_in(option.name, language) or option.id} — {title}"))
    return out


def station_codes(election: Election) -> dict[str, str]:
    """Station code → its district."""
    return dict(Station.objects.filter(election=election).values_list("code", "district"))


def check(election: Election, where: Where) -> Where:
    """`where`, with the station's district filled in; ComplaintError naming what is wrong."""
    manifest = manifest_of(election)
    district = where.district
    if district and district not in {d.id for d in manifest.districts}:
        raise ComplaintError(_("There is no such district in this election."), field="district")
    if where.station:
        stations = station_codes(election)
        if where.station not in stations:
            raise ComplaintError(
                _("There is no station %(station)s in this election.") % {"station": where.station},
                field="station",
            )
        if district and stations[where.station] != district:
            raise ComplaintError(_("This station is in another district."), field="station")
        district = stations[where.station]
    if where.option and where.option not in {
        o.id for c in manifest.contests for o in c.options if not o.against_all
    }:
        raise ComplaintError(_("There is no such candidate in this election."), field="option")
    return Where(district, where.station, where.online, where.option)
