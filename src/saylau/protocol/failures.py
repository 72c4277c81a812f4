"""The verifier's failures: a stable code and parameters, and the English message they make.

Every failure the universal verifier reports has a *check* (docs/protocol.md §12), an *item*
(what failed: a file, `leaf 3`, `d1/c1/o2`) and a *code* naming the exact problem, with
parameters. `MESSAGES` holds the English template of every code; the message is
`MESSAGES[code] % params`. A front end translates the template itself (the templates are the
msgids of the site's catalogues), so this module stays free of gettext.

Problems found deeper down (a proof, an encoding, a signature in saylau.crypto) have no code
of their own: they are reported under the code of their exception class, with the crypto
layer's English text as the `detail` parameter.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from saylau.crypto import errors as crypto
from saylau.protocol import errors as protocol
from saylau.protocol.canonical import StrictJsonError
from saylau.protocol.paper_protocol import COUNT_MESSAGES, RELATIONS

MESSAGES: dict[str, str] = {
    # the record and its files (§12.1)
    "record.not_found": "%(path)s: no such file or directory",
    "record.zip_escape": "%(path)s: zip entry %(entry)s escapes the record",
    "record.bad_zip": "%(path)s: not a readable zip archive (%(detail)s)",
    "record.file_missing": "%(name)s: missing from the record",
    "json.syntax": "%(name)s: not valid JSON (line %(line)s, column %(column)s)",
    "json.number": "%(name)s: numbers must be integers, not %(number)s",
    "json.duplicate_key": "%(name)s: duplicate key %(key)s",
    "json.too_deep": "%(name)s: nested too deeply (more than %(limit)s levels)",
    "json.not_utf8": "%(name)s: not UTF-8 text",
    "record.not_object": "%(name)s: expected an object",
    "record.unknown_schema": (
        "%(name)s: unknown schema version %(schema)s (this verifier reads %(supported)s)"
    ),
    "record.files_not_object": "record.json: 'files' must be an object",
    "record.election_id": "election_id differs from the manifest's",
    "record.unreadable": "unreadable record: a value has a type or shape no check expects",
    "files.outside": "a listed path must stay inside the record",
    "files.missing": "listed in record.json but missing",
    "files.digest": "SHA-256 differs from record.json",
    "files.required": "not listed in record.json",
    "files.unlisted": "present but not listed in record.json",
    "files.link": "a symbolic link (a record holds regular files only)",
    # documents (§12.2, §12.3)
    "document.schema": "expected schema %(schema)s",
    "election.group": "group must be %(group)s",
    "election.identity_key": "the joint public key is the identity element",
    "dkg.size": "trustee count or threshold differs from election.json",
    "dkg.joint_key": "differs from the key the ceremony produced",
    "fingerprint.election": (
        "does not match SHA-256 of manifest, group and joint key (manifest changed?)"
    ),
    "fingerprint.record": "differs from the recomputed fingerprint",
    "credentials.identity": "the identity element is not a credential (anyone could sign)",
    "credentials.district_unknown": "district %(district)s is not in the manifest",
    "credentials.district_missing": "the manifest's district %(district)s is missing",
    "roll.districts": "roll.json: 'districts' must map each district to a number of voters",
    # the board (§12.4, §12.5)
    "leaf.not_object": "a leaf must be a JSON object with a string 'type'",
    "leaf.time": "'time' must be a non-negative integer (milliseconds)",
    "leaf.keys": "a %(type)s leaf has exactly the keys %(keys)s",
    "leaf.string": "%(key)s must be a non-empty string",
    "board.unknown_credential": "paper override for a credential that is not on the list",
    "rule.order": "leaf out of order: expected index %(expected)s",
    "rule.time": "time goes backwards",
    "rule.after_close": "event after the close at leaf %(leaf)s",
    "rule.first_open": "the first leaf must open the election",
    "rule.open_fingerprint": "the open event names another election fingerprint",
    "rule.open_twice": "the election is opened twice",
    "rule.after_paper": "online ballot after the paper override at leaf %(leaf)s",
    "rule.second_cast": (
        "second 'cast' for a credential that voted at leaf %(leaf)s (must be 'revote')"
    ),
    "rule.revote_first": "'revote' for a credential with no earlier ballot",
    "rule.revote_latest": "'revote' does not name the credential's latest ballot",
    "rule.paper_twice": "second paper override for one credential",
    "rule.unknown_type": "unknown event type %(type)s",
    "rule.never_closed": "the board was never closed",
    "heads.too_long": "signed for more leaves than the log holds (%(leaves)s)",
    "heads.root": (
        "root does not match the leaves (a leaf was dropped, added, changed or reordered)"
    ),
    "heads.backwards": "signed heads go backwards in size or time",
    "heads.incomplete": "the last signed head does not cover all %(leaves)s leaves",
    # receipts (§12.6)
    "receipt.missing_leaf": "leaf %(leaf)s is missing from the board",
    "receipt.other_ballot": "leaf %(leaf)s does not hold this ballot (dropped?)",
    "receipt.fork": "the receipt's signed head is not consistent with the record's log (a fork)",
    # the tally and the results (§12.7, §12.8)
    "tally.trustees": "trustees must be distinct trustees of the ceremony",
    "tally.too_few": "%(trustees)s trustees decrypted, %(needed)s are needed",
    "tally.district_missing": "missing from tally.json",
    "tally.ballots_claimed": "%(claimed)s ballots claimed, %(counted)s counted",
    "tally.options": "missing or wrong number of options",
    "tally.option_id": "option %(index)s should be %(expected)s, not %(found)s",
    "tally.sum": "encrypted sum differs from the sum of counted ballots",
    "tally.share_trustee": "share from trustee %(trustee)s, who is not listed",
    "tally.share_set": "shares do not come from exactly the listed trustees",
    "tally.count": "tally.json says %(claimed)s, decryption gives %(value)s",
    "tally.not_array": "expected an array",
    "tally.repeated_id": "listed more than once",
    "tally.extra": "in tally.json but not in the manifest",
    "tally.share_twice": "a second share from trustee %(trustee)s",
    "results.schema": "expected schema 'saylau-results/1'",
    "results.district_missing": "missing from the announced results",
    "results.ballots": "announced number of ballots is wrong",
    "results.count": "announced %(announced)s, the record gives %(value)s",
    "results.extra_district": "announced but not in the record",
    "results.not_object": "expected an object",
    "results.extra_key": "unexpected key %(key)s",
    "results.missing_key": "missing key %(key)s",
    "results.contest_missing": "contest missing from the announced results",
    "results.option_missing": "option missing from the announced results",
    "results.extra_contest": "contest announced but not on this district's ballot",
    "results.extra_option": "option announced but not in the manifest's contest",
    # paper voting (§12.10): the files, stations, protocols, overrides and the consolidation
    "paper.file_missing": (
        "%(name)s: missing (the paper files of a record come together: all three or none)"
    ),
    "paper.required": (
        "the board has %(overrides)s paper overrides (online ballots set aside for paper "
        "votes), but the record has no paper part to check them against"
    ),
    "stations.not_list": "'stations' must be a list",
    "stations.keys": "a station has exactly the keys %(keys)s",
    "stations.code": "a station code must be a non-empty text",
    "stations.number": "a station number must be a whole number, 1 or more",
    "stations.address": "a station address must be a text",
    "stations.district": "district %(district)s is not in the manifest",
    "stations.duplicate": "the station code %(station)s appears twice",
    "stations.order": "stations must be sorted by code",
    "protocols.keys": "a protocol line has exactly the keys %(keys)s",
    "protocols.order": (
        "lines must be sorted by station, contest and revision, each once (after %(previous)s)"
    ),
    "protocols.unknown_station": "station %(station)s is not in paper/stations.json",
    "protocols.district": "station %(station)s is in district %(expected)s, not %(district)s",
    "protocols.contest": "contest %(contest)s is not on the ballot of district %(district)s",
    "protocols.revision": "the revision must be a whole number, 1 or more",
    "protocols.reason_type": "the reason must be a text",
    "protocols.reason_missing": "revision %(revision)s gives no reason (a recount says why)",
    "protocols.reason_first": "revision 1 gives a reason (only a recount has one)",
    "protocols.scan_sha256": "scan_sha256 must be 64 lowercase hex characters",
    "protocols.revisions": "revisions must run 1, 2, … with no gap, not %(found)s",
    "overrides.unknown_station": (
        "the paper override names %(precinct)s, which is not a station of paper/stations.json"
    ),
    "overrides.too_many": (
        "%(overrides)s paper overrides name this station, more than the %(issued)s ballots it "
        "issued"
    ),
    "consolidation.margin": "recount_margin must be a whole number, 0 or more",
    "consolidation.differs": "%(field)s is %(announced)s, the record gives %(value)s",
    "consolidation.missing": "%(field)s is missing",
    "consolidation.extra": "%(field)s is not in the consolidation the record gives",
    # sanctions (§14.4): sanctions.json and what each sanction names
    "sanctions.paper_missing": (
        "%(name)s: missing (a record with sanctions.json holds the consolidation and its two "
        "paper files)"
    ),
    "sanction.schema": "expected schema %(schema)s",
    "sanctions.keys": "sanctions.json has exactly the keys %(keys)s",
    "sanction.rule": "deregistered_votes must be one of %(rules)s, not %(rule)s",
    "sanctions.not_list": "'sanctions' must be a list",
    "sanction.keys": "a sanction has the keys %(keys)s, and of %(optional)s only those it uses",
    "sanction.text": "%(key)s must be a non-empty text",
    "sanction.duplicate": "the sanction id %(id)s appears twice",
    "sanction.kind": "unknown kind of sanction %(kind)s",
    "sanction.field": "a %(kind)s sanction names no %(key)s",
    "sanction.district": "district %(district)s is not in the manifest",
    "sanction.no_district": "an annulled district must name its district",
    "sanction.contest": "contest %(contest)s is not on the ballot the sanction names",
    "sanction.option": "%(option)s is not a candidate of contest %(contest)s",
    "sanction.station": "station %(station)s is not in paper/stations.json",
    "sanction.station_district": (
        "station %(station)s is in district %(expected)s, not %(district)s"
    ),
    **COUNT_MESSAGES,  # a protocol's counts that cannot be read (paper_protocol.py)
    # a broken control relation: its code is "relation." + the relation's code
    **{f"relation.{code}": template for code, template in RELATIONS.items()},
    # problems found by saylau.crypto and the protocol parsers: their English text is `detail`
    "error.encoding": "invalid encoding: %(detail)s",
    "error.proof": "a proof does not verify: %(detail)s",
    "error.signature": "a signature does not verify: %(detail)s",
    "error.share": "a share does not match its commitments: %(detail)s",
    "error.dlog": "a decrypted count is out of range: %(detail)s",
    "error.inclusion": "an inclusion proof does not verify: %(detail)s",
    "error.tree_head": "a signed tree head does not verify: %(detail)s",
    "error.dkg": "the key ceremony does not verify: %(detail)s",
    "error.too_few_shares": "too few decryption shares: %(detail)s",
    "error.manifest": "invalid manifest: %(detail)s",
    "error.ballot": "invalid ballot: %(detail)s",
    "error.credential": "invalid credential: %(detail)s",
    "error.record": "invalid record: %(detail)s",
    "error.other": "check failed: %(detail)s",
    "error.missing_key": "missing key %(key)s",
    "error.malformed": "malformed: a value has the wrong type or shape",
}

# Most specific first: the first class an exception is an instance of gives its code.
ERROR_CODES: tuple[tuple[type[Exception], str], ...] = (
    (crypto.InvalidEncoding, "error.encoding"),
    (crypto.InvalidProof, "error.proof"),
    (crypto.InvalidSignature, "error.signature"),
    (crypto.InvalidShare, "error.share"),
    (crypto.DlogOutOfRange, "error.dlog"),
    (crypto.InvalidInclusion, "error.inclusion"),
    (crypto.InvalidConsistency, "error.inclusion"),
    (crypto.InvalidTreeHead, "error.tree_head"),
    (crypto.InvalidDkg, "error.dkg"),
    (crypto.InsufficientShares, "error.too_few_shares"),
    (protocol.InvalidManifest, "error.manifest"),
    (protocol.InvalidBallot, "error.ballot"),
    (protocol.InvalidCredential, "error.credential"),
    (protocol.InvalidRecord, "error.record"),
    (crypto.SaylauCryptoError, "error.other"),
    (KeyError, "error.missing_key"),
)

Params = dict[str, str | int]


def render(code: str, params: Params) -> str:
    """The English message of `code` (an unknown code, or missing parameters: the code and
    its parameters as they are)."""
    template = MESSAGES.get(code)
    if template is not None:
        try:
            return template % params
        except (KeyError, ValueError, TypeError):
            pass
    return f"{code} {params}" if params else code


class CodedError(protocol.InvalidRecord):
    """An invalid record whose problem has a code of `MESSAGES` (str() is the English text)."""

    def __init__(self, code: str, **params: str | int) -> None:
        super().__init__(render(code, params))
        self.code = code
        self.params: Params = params


def code_of(error: Exception) -> tuple[str, Params]:
    """The code and parameters under which an exception from a check is reported. Python's
    own exceptions (a missing key, a value of the wrong type) never lend their text."""
    if isinstance(error, (CodedError, StrictJsonError)):
        return error.code, dict(error.params)
    if isinstance(error, KeyError):
        return "error.missing_key", {"key": repr(error.args[0]) if error.args else "?"}
    for cls, code in ERROR_CODES:
        if isinstance(error, cls):
            return code, {"detail": str(error)}
    return "error.malformed", {}


@dataclass(frozen=True, slots=True)
class Failure:
    check: str
    item: str
    code: str
    params: Params = field(default_factory=dict)

    @property
    def message(self) -> str:
        return render(self.code, self.params)

    def to_json(self) -> dict[str, Any]:
        return {
            "check": self.check,
            "item": self.item,
            "code": self.code,
            "params": dict(self.params),
            "message": self.message,
        }

    def __str__(self) -> str:
        return f"[{self.check}] {self.item}: {self.message}"
