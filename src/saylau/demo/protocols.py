"""DEMO ONLY: the two DEMO stations' protocols, entered as a commission enters them.

    enter_protocols(election)   after the close: per station and contest, double entry by
                                the two DEMO operators (once operator 2 mistypes a line and
                                the supervisor settles it), a scan (a small PNG), accepted;
                                then one recount (a new revision with its reason, entered
                                twice again, its own scan), accepted: revision 1 superseded

The numbers hold every control relation and match who was marked as having voted on paper
(ballots issued = members marked). Each step is the paper app's service, as the commission's
pages call it; a protocol already accepted (or typed in the browser) is taken as it is and
only what is missing is done.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw

from saylau.demo.paper import OVERRIDE_STATION, PAPER_LIST, STATIONS, DemoStation, account
from saylau.demo.paper import organiser as demo_organiser
from saylau.elections.models import Election
from saylau.paper import services as paper
from saylau.paper.entry import Typed, differing, round_entries, typed_of
from saylau.paper.models import Protocol
from saylau.protocol.manifest import Contest, manifest_from_json
from saylau.stations import services as stations
from saylau.stations.models import Station

Say = Callable[[str], None]
RECEIVED = 10  # blank ballots each station received per contest

#: votes per option (by its position; -1 is "against all") and invalid ballots, per station
#: and contest kind; the valid ballots are the members marked less the invalid ones
VOTES: dict[tuple[str, str], tuple[dict[int, int], int]] = {
    ("DEMO-71-001", "mazhilis"): ({0: 1, 2: 1}, 1),
    ("DEMO-71-001", "maslikhat"): ({0: 2, 3: 2, -1: 1}, 0),
    ("DEMO-75-001", "mazhilis"): ({0: 2, 1: 1, -1: 1}, 0),
    ("DEMO-75-001", "maslikhat"): ({0: 3, 1: 2, 2: 2, -1: 1}, 0),
}
#: the protocol operator 2 mistypes once (option at position 0: one more), settled by the
#: supervisor
MISTYPED = ("DEMO-75-001", "mazhilis")
#: the recount: the invalid ballot found valid, for the candidate at position 2
RECOUNT = ("DEMO-71-001", "mazhilis")
RECOUNT_VOTES: tuple[dict[int, int], int] = ({0: 1, 2: 2}, 0)
RECOUNT_REASON = (
    "DEMO: an observer disputed the ballot counted invalid; the commission recounted and "
    "found it a valid vote for candidate 3."
)


@dataclass(frozen=True)
class Sheet:
    """The signed paper protocol the operators type from."""

    station: DemoStation
    contest: Contest
    typed: Typed


def voted_at(station: DemoStation) -> int:
    return station.voted + (1 if station.code == OVERRIDE_STATION else 0)


def sheet(station: DemoStation, contest: Contest, votes: tuple[dict[int, int], int]) -> Sheet:
    """The protocol's lines: issued = the members marked, the rest unused (cancelled)."""
    by_position, invalid = votes
    issued = voted_at(station)
    listed = PAPER_LIST + (1 if station.code == OVERRIDE_STATION else 0)
    counts = {
        "voters_on_list": listed,
        "ballots_received": RECEIVED,
        "ballots_issued": issued,
        "ballots_cancelled": RECEIVED - issued,
        "ballots_spoiled": 0,
        "ballots_lost": 0,
        "ballots_in_boxes": issued,
        "invalid": invalid,
        "valid": issued - invalid,
    }
    options = {o.id: 0 for o in contest.options}
    for position, n in by_position.items():
        options[contest.options[position].id] = n
    return Sheet(station, contest, Typed(counts, options))


def kind_of(contest: Contest) -> str:
    return "mazhilis" if contest.max_marks == 1 else "maslikhat"


def scan_png(text: str) -> bytes:
    """A small picture standing for the photo of the signed protocol."""
    image = Image.new("RGB", (360, 120), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle((2, 2, 357, 117), outline="black", width=2)
    for k, line in enumerate(["DEMO protocol (not a real one)", *text.split("\n")]):
        draw.text((12, 12 + 24 * k), line, fill="black")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _typed_by(sheet: Sheet, protocol: Protocol | None, operator: int) -> Typed:
    """What operator `operator` types: the sheet, but once operator 2 misreads a line."""
    key = (sheet.station.code, kind_of(sheet.contest))
    first_round = protocol is None or (protocol.revision == 1 and protocol.entry_round == 1)
    if key != MISTYPED or operator != 2 or not first_round:
        return sheet.typed
    options = dict(sheet.typed.options)
    options[sheet.contest.options[0].id] += 1
    return Typed(dict(sheet.typed.counts), options)


def _one_step(election: Election, station: Station, sheet: Sheet, say: Say) -> Protocol | None:
    """Do the next step of the protocol's entry; None when it is accepted."""
    code, contest = sheet.station.code, sheet.contest
    protocol = paper.latest_protocol(election, station, contest.id)
    if protocol is not None and protocol.is_counting:
        return None
    if protocol is not None and protocol.status == Protocol.Status.CONFLICT:
        one, two = round_entries(protocol)
        lines = differing(contest, typed_of(one), typed_of(two))
        values = {key: sheet.typed.value(key) for key in lines}
        say(
            _("%(station)s %(contest)s: the entries differ on %(lines)s; the supervisor settles")
            % {"station": code, "contest": contest.id, "lines": ", ".join(k[1] for k in lines)}
        )
        return paper.resolve(protocol, account(code, "sup"), values)
    typed_by = set() if protocol is None else {e.number for e in round_entries(protocol)}
    if protocol is None or protocol.counts is None or protocol.failures or len(typed_by) == 1:
        operator = 1 if 1 not in typed_by else 2
        user = account(code, f"op{operator}")
        return paper.submit_entry(
            election, station, contest.id, user, _typed_by(sheet, protocol, operator)
        )
    text = f"{code} {contest.id}\nrevision {protocol.revision}"
    return paper.upload_scan(protocol, account(code, "op1"), scan_png(text))


def enter(election: Election, station: Station, sheet: Sheet, say: Say) -> Protocol:
    """Bring the station's latest protocol for the contest to accepted."""
    for _step in range(12):
        if _one_step(election, station, sheet, say) is None:
            break
    protocol = paper.latest_protocol(election, station, sheet.contest.id)
    if protocol is None or not protocol.is_counting:
        raise RuntimeError(f"demo protocol {sheet.station.code}/{sheet.contest.id} not accepted")
    return protocol


def _recount(election: Election, sheets: dict[tuple[str, str], Sheet], say: Say) -> None:
    first = sheets[RECOUNT]
    station = stations.station_by_code(election, first.station.code)
    protocol = paper.latest_protocol(election, station, first.contest.id)
    if protocol is not None and protocol.revision == 1:
        paper.open_recount(election, station, first.contest.id, demo_organiser(), RECOUNT_REASON)
        say(
            _("%(station)s %(contest)s: the organiser opened a recount (revision 2)")
            % {"station": first.station.code, "contest": first.contest.id}
        )
    recounted = enter(election, station, sheet(first.station, first.contest, RECOUNT_VOTES), say)
    if recounted.revision == 2 and protocol is not None and protocol.revision == 1:
        say(
            _("%(station)s %(contest)s: revision 2 accepted, revision 1 superseded")
            % {"station": first.station.code, "contest": first.contest.id}
        )


def enter_protocols(election: Election, say: Say) -> None:
    """Every DEMO station's protocols accepted, and the one recount."""
    manifest = manifest_from_json(election.manifest)
    sheets: dict[tuple[str, str], Sheet] = {}
    done = 0
    for spec in STATIONS:
        station = stations.station_by_code(election, spec.code)
        for contest in manifest.contests_for(spec.district):
            key = (spec.code, kind_of(contest))
            sheets[key] = sheet(spec, contest, VOTES[key])
            latest = paper.latest_protocol(election, station, contest.id)
            if latest is not None and (latest.revision > 1 or latest.is_counting):
                continue  # accepted, or a recount under way
            enter(election, station, sheets[key], say)
            done += 1
    if done:
        say(
            _("%(count)s protocols entered twice, with their scans, and accepted") % {"count": done}
        )
    _recount(election, sheets, say)
