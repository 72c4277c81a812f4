"""What the public pages and the API show: an election's parameters, a voter's status,
per-district counts, results and the record. Read-only."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from saylau.board import services as board
from saylau.board.models import BoardState, Leaf, LeafKind
from saylau.elections import services as elections
from saylau.elections.authority import credential_lists
from saylau.elections.errors import ElectionError
from saylau.elections.models import Election, PublicCredential, Status
from saylau.protocol.canonical import strict_loads
from saylau.protocol.documents import credentials_document
from saylau.protocol.manifest import name_in
from saylau.registry import services as registry
from saylau.voting.errors import VotingError


def in_language(names: Any, language: str, fallback: str = "") -> str:
    """A manifest name in `language`, else the site's default language, else English, else
    any; `fallback` (an id) when the manifest has no name."""
    return name_in(names, language, settings.LANGUAGE_CODE, "en") or fallback


def election_parameters(election: Election, language: str) -> dict[str, Any]:
    fingerprint = election.fingerprint
    if election.joint_public_key:
        fingerprint = elections.election_context(election).fingerprint.hex()
    return {
        "slug": election.slug,
        "title": election.title(language),
        "status": election.status,
        "opens_at": election.opens_at,
        "closes_at": election.closes_at,
        "ip_policy": election.ip_policy,
        "manifest": election.manifest,
        "joint_public_key": election.joint_public_key,
        "fingerprint": fingerprint,
        "board_public_key": election.board_public_key,
    }


def voter_status(election: Election, member_id: int, language: str = "kk") -> dict[str, Any]:
    credential = elections.credential_of_member(election, member_id)
    latest = None
    if credential is not None:
        latest = (
            Leaf.objects.filter(
                election=election,
                credential=credential,
                kind__in=[LeafKind.CAST, LeafKind.REVOTE],
            )
            .order_by("-index")
            .values_list("tracking_code", "index", "time")
            .first()
        )
    board.make_durable()  # the voter's latest ballot is on disk (decision 0011)
    district = elections.credential_district(election, credential) if credential else None
    return {
        "district": district,
        "district_name": district_name(election, district, language) if district else None,
        "credential": credential,
        "latest_tracking_code": latest[0] if latest else None,
        "latest_leaf_index": latest[1] if latest else None,
        "latest_time": latest[2] if latest else None,  # ms since the Unix epoch
    }


def replaced_by(election: Election, tracking_code: str) -> str | None:
    return (
        Leaf.objects.filter(election=election, replaces=tracking_code)
        .values_list("tracking_code", flat=True)
        .first()
    )


def district_counts(election: Election, language: str = "kk") -> dict[str, Any]:
    try:
        roll = {d.code: d.count for d in registry.published_counts(election.slug).districts}
        roll_closed = True
    except registry.RegistryError:
        roll, roll_closed = {}, False
    credentials = dict(
        PublicCredential.objects.filter(election=election)
        .values("district")
        .annotate(n=Count("id"))
        .values_list("district", "n")
    )
    districts = []
    for d in election.manifest.get("districts", []):
        code = str(d.get("id", ""))
        districts.append(
            {
                "code": code,
                "name": in_language(d.get("name"), language, fallback=code),
                "roll": roll.get(code) if roll_closed else None,
                "credentials": credentials.get(code, 0),
            }
        )
    size = BoardState.objects.filter(election=election).values_list("size", flat=True).first()
    board.make_durable()  # the board's size is on disk (decision 0011)
    return {
        "election": election.slug,
        "roll_closed": roll_closed,
        "districts": districts,
        "board_size": size or 0,
    }


#: From this stage on, the CA's upload is complete and the credential list is final.
CREDENTIALS_FINAL = (
    Status.CREDENTIALS_ISSUED,
    Status.OPEN,
    Status.CLOSED,
    Status.TALLIED,
    Status.PUBLISHED,
)


def credentials(election: Election) -> dict[str, Any] | None:
    """The public credentials per district, sorted (the record's credentials.json), once the
    list is final; None before. Public: it names no member (threat model P3)."""
    if election.status not in CREDENTIALS_FINAL:
        return None
    return credentials_document(credential_lists(election))


def record_zip(election: Election) -> Path | None:
    """The published record's zip (elections.services.record_path, once it exists)."""
    record_path = getattr(elections, "record_path", None)
    if record_path is None:
        return None
    try:
        found = record_path(election)
    except ElectionError:
        return None
    if found is None:
        return None
    path = Path(found)
    if path.is_dir():
        path = path.parent / (path.name + ".zip")
    return path if path.is_file() and path.suffix == ".zip" else None


def results(election: Election) -> dict[str, Any] | None:
    """results.json once tallied (elections.services.election_results), or from the
    published record."""
    lookup = getattr(elections, "election_results", None)
    if lookup is not None:
        try:
            found = lookup(election)
        except ElectionError:
            found = None
        if found is not None:
            return dict(found)
    path = record_zip(election)
    if path is None:
        return None
    import zipfile

    with zipfile.ZipFile(path) as archive:
        names = [n for n in archive.namelist() if n.rsplit("/", 1)[-1] == "results.json"]
        if not names:
            return None
        loaded = strict_loads(archive.read(sorted(names, key=len)[0]))
    return loaded if isinstance(loaded, dict) else None


#: From this stage on, voting is over: the sign-in page says so and offers no form.
VOTING_OVER = (Status.CLOSED, Status.TALLIED, Status.PUBLISHED)


class ResultsNotReady(VotingError):
    """Results asked for before the tally: the answer names the election's stage."""

    code = "results.not_ready"
    status = 409

    def __init__(self, election: Election) -> None:
        super().__init__(
            _(
                "There are no results yet: the election is at the stage “%(status)s”. "
                "They appear here once the votes are counted."
            )
            % {"status": election.get_status_display()}
        )


def voting_over(election: Election) -> bool:
    """Closed, tallied or published, or past its closing time."""
    if election.status in VOTING_OVER:
        return True
    return election.closes_at is not None and timezone.now() >= election.closes_at


def listed_elections() -> list[Election]:
    """The elections the home page links to: every one past its draft."""
    return list(Election.objects.exclude(status=Status.DRAFT).order_by("-created_at"))


def _manifest_names(election: Election, key: str) -> dict[str, Any]:
    return {str(item.get("id")): item.get("name") for item in election.manifest.get(key, [])}


def district_name(election: Election, code: str, language: str) -> str:
    """The manifest's name of a district in `language` (the code if the manifest has none)."""
    return in_language(_manifest_names(election, "districts").get(code), language, fallback=code)


def result_rows(election: Election, results: dict[str, Any], language: str) -> list[dict[str, Any]]:
    """results.json as table rows, with the manifest's district, contest and option names
    (and each candidate's party, "" for none)."""
    districts = _manifest_names(election, "districts")
    contests = {str(c.get("id")): c for c in election.manifest.get("contests", [])}
    rows = []
    for district, entry in sorted(results.get("districts", {}).items()):
        for contest_id, counts in sorted(entry.get("contests", {}).items()):
            contest = contests.get(contest_id, {})
            options = {str(o.get("id")): o for o in contest.get("options", [])}
            for option, count in counts.items():
                named = options.get(option, {})
                rows.append(
                    {
                        "district": in_language(districts.get(district), language, district),
                        "contest": in_language(contest.get("name"), language, contest_id),
                        "option": in_language(named.get("name"), language, option),
                        "party": in_language(named.get("party"), language),
                        "count": count,
                    }
                )
    return rows
