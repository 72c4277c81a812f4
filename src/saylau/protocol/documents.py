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

Every file but the .jsonl ones is canonical JSON. Nothing here trusts the content: callers
parse each document with the module that owns its shape.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from saylau.crypto.encoding import element_from_hex
from saylau.protocol.credentials import CredentialList
from saylau.protocol.errors import InvalidRecord
from saylau.protocol.failures import CodedError

RECORD_SCHEMA = "saylau-record/1"
ELECTION_SCHEMA = "saylau-election/1"
ROLL_SCHEMA = "saylau-roll/1"
CREDENTIALS_SCHEMA = "saylau-credentials/1"
SUPPORTED_SCHEMAS = (RECORD_SCHEMA,)
LEAVES = "board/leaves.jsonl"
HEADS = "board/heads.jsonl"
RECEIPTS = "receipts.jsonl"
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
