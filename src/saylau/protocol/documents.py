"""The documents of the public election record and their names (pure; reading and writing
the record on disk is saylau.record). A record is a directory (or a .zip of one):

    record.json            {"schema": "saylau-record/1", "election_id", "fingerprint",
                            "files": {relative path: sha256 hex}}
    manifest.json          the manifest (manifest.py)
    election.json          {"schema": "saylau-election/1", "group": "ristretto255",
                            "joint_public_key", "fingerprint", "board_public_key",
                            "trustees": n, "threshold": t}
    dkg.json               the key-ceremony transcript (crypto/dkg.py)
    roll.json              {"schema": "saylau-roll/1", "districts": {id: voters on the roll}}
    credentials.json       {"schema": "saylau-credentials/1", "districts": {id: [hex, ...]}}
    board/leaves.jsonl     one leaf per line: the leaf's exact bytes (events.py), then "\n"
    board/heads.jsonl      one signed tree head per line (board.py)
    tally.json             encrypted sums, decryption shares and counts (tally.py)
    results.json           the announced results
    receipts.jsonl         optional: receipts that voters or observers chose to publish
    paper/stations.json    the paper polling stations  } present iff the election had paper
    paper/protocols.jsonl  their accepted protocols    } stations; then all three are
    consolidation.json     online + paper per district } (docs/protocol.md §13)
    sanctions.json         the committee's sanctions (§14): present iff the election has
                           one; then the three paper files are too (with no paper station,
                           an empty station list and no protocol line)

Every file but the .jsonl ones is canonical JSON. Nothing here trusts the content: callers
parse each document with the module that owns its shape.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from saylau.crypto.encoding import element_from_hex
from saylau.protocol.canonical import canonical_json
from saylau.protocol.consolidation import DEFAULT_RECOUNT_MARGIN, consolidate
from saylau.protocol.credentials import CredentialList
from saylau.protocol.errors import InvalidRecord
from saylau.protocol.failures import CodedError
from saylau.protocol.manifest import Manifest
from saylau.protocol.paper_protocol import ProtocolCounts, counts_to_json
from saylau.protocol.sanctions import SET_ASIDE, Sanction

RECORD_SCHEMA = "saylau-record/1"
ELECTION_SCHEMA = "saylau-election/1"
ROLL_SCHEMA = "saylau-roll/1"
CREDENTIALS_SCHEMA = "saylau-credentials/1"
SUPPORTED_SCHEMAS = (RECORD_SCHEMA,)
LEAVES = "board/leaves.jsonl"
HEADS = "board/heads.jsonl"
RECEIPTS = "receipts.jsonl"
STATIONS_SCHEMA = "saylau-stations/1"
STATIONS = "paper/stations.json"
PROTOCOLS = "paper/protocols.jsonl"
CONSOLIDATION = "consolidation.json"
PAPER_FILES = (STATIONS, PROTOCOLS, CONSOLIDATION)
SANCTIONS = "sanctions.json"
STATION_KEYS = frozenset({"code", "number", "district", "address"})
PROTOCOL_KEYS = frozenset(
    {"station", "district", "contest", "revision", "reason", "counts", "options", "scan_sha256"}
)
SHA256_HEX = re.compile(r"[0-9a-f]{64}")
DOCUMENTS = (
    "manifest.json",
    "election.json",
    "dkg.json",
    "roll.json",
    "credentials.json",
    "tally.json",
    "results.json",
)


def election_document(
    joint_public_key: str, fingerprint: str, board_public_key: str, trustees: int, threshold: int
) -> dict[str, Any]:
    """election.json (keys and fingerprint as lowercase hex)."""
    return {
        "schema": ELECTION_SCHEMA,
        "group": "ristretto255",
        "joint_public_key": joint_public_key,
        "fingerprint": fingerprint,
        "board_public_key": board_public_key,
        "trustees": trustees,
        "threshold": threshold,
    }


def roll_document(counts: Mapping[str, int]) -> dict[str, Any]:
    """roll.json: voters on the closed roll per district."""
    return {"schema": ROLL_SCHEMA, "districts": dict(counts)}


def credentials_document(districts: Mapping[str, Iterable[str]]) -> dict[str, Any]:
    """credentials.json: public credentials (hex) per district, as the CA published them."""
    return {"schema": CREDENTIALS_SCHEMA, "districts": {d: list(c) for d, c in districts.items()}}


def credential_list_from_document(doc: Any) -> CredentialList:
    """Parse credentials.json (every credential a valid group element); InvalidRecord or
    InvalidEncoding otherwise. Repeats and the identity element are the caller's checks."""
    if not isinstance(doc, dict) or doc.get("schema") != CREDENTIALS_SCHEMA:
        raise CodedError("document.schema", schema=repr(CREDENTIALS_SCHEMA))
    districts = doc.get("districts")
    if not isinstance(districts, dict) or not all(isinstance(v, list) for v in districts.values()):
        raise InvalidRecord("'districts' must map each district to a list of credentials")
    return CredentialList(
        {
            d: tuple(element_from_hex(c, f"credentials.{d}[{i}]") for i, c in enumerate(lst))
            for d, lst in districts.items()
        }
    )


def check_index(idx: Any) -> dict[str, Any]:
    """record.json: an object of a supported schema whose `files` is an object."""
    if not isinstance(idx, dict):
        raise CodedError("record.not_object", name="record.json")
    schema = idx.get("schema")
    if schema not in SUPPORTED_SCHEMAS:
        raise CodedError(
            "record.unknown_schema",
            name="record.json",
            schema=repr(schema),
            supported=", ".join(SUPPORTED_SCHEMAS),
        )
    if not isinstance(idx.get("files"), dict):
        raise CodedError("record.files_not_object")
    return idx


# --- the paper part (docs/protocol.md §13.6) -----------------------------------------------


def stations_document(stations: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """paper/stations.json from mappings with `code`, `number`, `district` and `address`
    (other keys, such as commission members, are left out); sorted by code."""
    rows = [
        {
            "code": s["code"],
            "number": s["number"],
            "district": s["district"],
            "address": s.get("address") or "",
        }
        for s in stations
    ]
    rows.sort(key=lambda r: r["code"])
    return {"schema": STATIONS_SCHEMA, "stations": rows}


def check_revision(revision: Any, reason: Any) -> None:
    """A revision is a whole number ≥ 1; its reason a text, non-empty iff revision > 1."""
    if type(revision) is not int or revision < 1:
        raise CodedError("protocols.revision")
    if not isinstance(reason, str):
        raise CodedError("protocols.reason_type")
    if revision > 1 and not reason:
        raise CodedError("protocols.reason_missing", revision=revision)
    if revision == 1 and reason:
        raise CodedError("protocols.reason_first")


def check_scan_sha256(value: Any) -> None:
    if not isinstance(value, str) or not SHA256_HEX.fullmatch(value):
        raise CodedError("protocols.scan_sha256")


def protocol_line(
    station: str,
    district: str,
    contest: str,
    revision: int,
    reason: str,
    counts: ProtocolCounts,
    option_ids: list[str],
    scan_sha256: str,
) -> dict[str, Any]:
    """One line of paper/protocols.jsonl: an accepted protocol revision (the superseded ones
    too). `option_ids` are the contest's options in manifest order. Raises CodedError for a
    revision, reason or scan digest that the verifier would refuse."""
    check_revision(revision, reason)
    check_scan_sha256(scan_sha256)
    return {
        "station": station,
        "district": district,
        "contest": contest,
        "revision": revision,
        "reason": reason,
        **counts_to_json(counts, option_ids),
        "scan_sha256": scan_sha256,
    }


def protocol_key(line: Mapping[str, Any]) -> tuple[str, str, int]:
    return (line["station"], line["contest"], line["revision"])


def protocols_lines(lines: Iterable[Mapping[str, Any]]) -> list[bytes]:
    """The bytes of paper/protocols.jsonl's lines, sorted by (station, contest, revision)."""
    return [canonical_json(line) for line in sorted(lines, key=protocol_key)]


def counting_protocols(lines: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The protocols that count: the highest revision per (station, contest)."""
    best: dict[tuple[str, str], Mapping[str, Any]] = {}
    for line in lines:
        key = (line["station"], line["contest"])
        if key not in best or line["revision"] > best[key]["revision"]:
            best[key] = line
    return [best[k] for k in sorted(best)]


def consolidation_document(
    manifest: Manifest,
    online: Mapping[str, Mapping[str, Any]],
    lines: Iterable[Mapping[str, Any]],
    recount_margin: int = DEFAULT_RECOUNT_MARGIN,
    sanctions: Sequence[Sanction] = (),
    vote_rule: str = SET_ASIDE,
) -> dict[str, Any]:
    """consolidation.json: `online` is results.json's "districts"; `lines` every published
    protocol line (the highest revision of each station and contest is taken); `sanctions`
    and `vote_rule` those of sanctions.json (§14)."""
    return consolidate(
        manifest, online, counting_protocols(lines), recount_margin, sanctions, vote_rule
    )
