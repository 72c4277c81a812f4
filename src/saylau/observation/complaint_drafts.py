"""A complaint draft from a discrepancy row (decision 0042): the complaints app's draft
(channel "observer"), naming the station, describing the differing lines in the page's
language, with the copies' photos and the two versions of the numbers (a PDF) as evidence.

Once per station, contest and set of differing lines: a second click finds the first draft
(a unique row of DiscrepancyDraft; two clicks at once: one wins, the other reads it). The
draft stays the HQ's until an HQ person files it (complaints.workflow.file_draft); until
then its kind and description can be edited (decision 0046).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from saylau.complaints import intake, workflow
from saylau.complaints.models import Category, Channel, Complaint
from saylau.complaints.places import Where as Place
from saylau.elections.models import Election
from saylau.observation.discrepancies import Row, lines_key
from saylau.observation.discrepancy_list import keys_by_contest, line_label, row_of
from saylau.observation.discrepancy_pdf import numbers_pdf
from saylau.observation.errors import DraftRefused, NotFound
from saylau.observation.models import DiscrepancyDraft, Media
from saylau.observation.official import current_uploads
from saylau.observation.roles import require_headquarters
from saylau.protocol.manifest import manifest_from_json
from saylau.stations.models import Station


def _line_text(election: Election, row: Row, language: str) -> list[str]:
    out = []
    for line in row.lines:
        label = line_label(election, row.contest, line.key, language)
        copies = ", ".join(str(v) for v in line.copies)
        if line.official is None:
            out.append(_("%(line)s: the copies say %(copies)s") % {"line": label, "copies": copies})
        else:
            out.append(
                _("%(line)s: official %(official)d, the observers' copies %(copies)s")
                % {"line": label, "official": line.official, "copies": copies}
            )
    return out


def describe(election: Election, row: Row, language: str) -> str:
    """The complaint's text: the station, the contest and each differing line."""
    where = {"station": row.station, "contest": row.contest}
    if row.official is None:
        return "\n".join(
            [
                _(
                    "The observers' copies of the signed protocol of station %(station)s "
                    "(contest %(contest)s) differ from each other on these lines; there is no "
                    "official result yet:"
                )
                % where,
                *(f"- {text}" for text in _line_text(election, row, language)),
            ]
        )
    head = (
        _(
            "The observers' copies of the signed protocol of station %(station)s (contest "
            "%(contest)s) differ from the official result on these lines:"
        )
        % where
    )
    if row.disagree:
        head += " " + _("The observers' copies also differ from each other.")
    return "\n".join([head, *(f"- {text}" for text in _line_text(election, row, language))])


def _source(election: Election, contest: str) -> str:
    found = current_uploads(election).get(contest)
    if found is None:
        return _("the protocols accepted in saylau")
    return _("the commission's CSV, SHA-256 %(sha256)s") % {"sha256": found.sha256}


def _photos(row: Row) -> list[bytes]:
    seen: set[str] = set()
    out = []
    ids = [c.submission for c in row.copies]
    for media in Media.objects.filter(submission_id__in=ids).order_by("pk"):
        if media.sha256 not in seen:
            seen.add(media.sha256)
            with media.file.open("rb") as source:
                out.append(source.read())
    return out


def _key(lines: str) -> str:
    return hashlib.sha256(lines.encode()).hexdigest()


def open_draft(
    user: Any, election: Election, station: str, contest: str, language: str
) -> tuple[DiscrepancyDraft, bool]:
    """(the draft of this row, whether this call made it); DraftRefused when the row has
    nothing to complain about."""
    require_headquarters(user)
    place = Station.objects.filter(election=election, code=station).first()
    row = row_of(user, election, station, contest)
    if place is None or row is None:
        raise NotFound(_("There is no such station or contest in this election."))
    if not row.differing:
        raise DraftRefused(_("The copies of this station agree with the official result."))
    lines = lines_key(row.differing)
    found = DiscrepancyDraft.objects.filter(
        station=place, contest=row.contest, lines_sha256=_key(lines)
    ).first()
    if found is not None:
        return found, False
    manifest = manifest_from_json(election.manifest)
    numbers = numbers_pdf(
        row,
        manifest.contest(row.contest),
        keys_by_contest(election)[row.contest],
        _source(election, row.contest),
        language,
    )
    new = intake.NewComplaint(
        Category.STATION_PROCEDURE,
        describe(election, row, language),
        Place(station=station),
        intake.Contact(name=user.get_full_name() or user.get_username()),
    )
    try:
        with transaction.atomic():
            complaint, _code = intake.open_draft(election, new, channel=Channel.OBSERVER, user=user)
            for data in [*_photos(row), numbers]:
                intake.add_evidence(complaint, data)
            draft = DiscrepancyDraft.objects.create(
                station=place,
                contest=row.contest,
                lines=lines,
                lines_sha256=_key(lines),
                complaint=complaint,
                opened_by=user,
            )
    except IntegrityError:  # the same row's draft made at once by another request
        return DiscrepancyDraft.objects.get(
            station=place, contest=row.contest, lines_sha256=_key(lines)
        ), False
    return draft, True


def drafts(election: Election) -> list[DiscrepancyDraft]:
    rows = DiscrepancyDraft.objects.filter(station__election=election)
    return list(rows.select_related("station", "complaint").order_by("-opened_at", "-pk"))


def draft_of(user: Any, election: Election, pk: int) -> DiscrepancyDraft:
    """The draft `pk` of `election`, for an HQ person."""
    require_headquarters(user)
    found = (
        DiscrepancyDraft.objects.filter(pk=pk, station__election=election)
        .select_related("station", "complaint")
        .first()
    )
    if found is None:
        raise NotFound(_("There is no such complaint draft."))
    return found


def edit(user: Any, election: Election, pk: int, category: str, description: str) -> Complaint:
    """Change the draft's kind and description before it is filed (decision 0046)."""
    return workflow.edit_draft(draft_of(user, election, pk).complaint, user, category, description)


def file(user: Any, election: Election, pk: int) -> Complaint:
    """File the draft `pk`: the committee receives it."""
    return workflow.file_draft(draft_of(user, election, pk).complaint, user)
