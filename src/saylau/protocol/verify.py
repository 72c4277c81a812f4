"""The universal verifier: re-derive the result from a record, trusting nobody. Pure: it
reads the record through a `RecordSource` (saylau.record.disk.Record opens one on disk;
saylau.record.verify_record is the entry point).

`Verifier(source).run()` runs every check of docs/protocol.md §12 and returns a `Report`
listing each failure by check name, item (file, leaf index, tracking code,
district/contest/option) and code with parameters (saylau.protocol.failures, which also holds
the English messages). Ballots are checked in contiguous chunks of leaves, where the source's
LeafSource runs them; each chunk also sums its valid ballots, and the verifier subtracts the
ballots that the re-vote rule and paper overrides leave out, so every ballot is parsed once.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Protocol

from saylau.crypto import dkg, dkg_json
from saylau.crypto.encoding import bytes_from_hex, element_from_hex
from saylau.crypto.errors import SaylauCryptoError
from saylau.crypto.group import IDENTITY, Element
from saylau.protocol import board, events
from saylau.protocol.ballot import (
    ElectionContext,
    tracking_code,
)
from saylau.protocol.canonical import strict_loads
from saylau.protocol.credentials import CredentialList, check_counts
from saylau.protocol.documents import (
    CONSOLIDATION,
    ELECTION_SCHEMA,
    HEADS,
    LEAVES,
    PAPER_FILES,
    PROTOCOLS,
    RECEIPTS,
    ROLL_SCHEMA,
    SANCTIONS,
    STATIONS,
    check_index,
    credential_list_from_document,
)
from saylau.protocol.errors import InvalidRecord
from saylau.protocol.failures import CodedError, Failure, code_of
from saylau.protocol.keyceremony import dkg_context
from saylau.protocol.leaves import LeafList, LeafSource
from saylau.protocol.manifest import GROUP_NAME, Manifest, fingerprint, manifest_from_json
from saylau.protocol.receipt import check_receipt, receipt_from_json
from saylau.protocol.tally import Aggregator
from saylau.protocol.verify_ballots import ProgressFn, check_leaves
from saylau.protocol.verify_paper import NO_SANCTIONS, check_paper
from saylau.protocol.verify_results import check_results
from saylau.protocol.verify_tally import check_tally

__all__ = ["Failure", "ProgressFn", "RecordSource", "Report", "Verifier"]


@dataclass
class Report:
    failures: list[Failure] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    results: dict[str, Any] | None = None
    manifest: Manifest | None = None
    #: the consolidation re-derived from the paper files (None: no paper part, or unreadable)
    consolidation: dict[str, Any] | None = None

    @property
    def ok(self) -> bool:
        return not self.failures


class RecordSource(Protocol):
    """The files of a record. Each method raises CodedError (record.file_missing, a JSON
    code) for a file that is missing, reached through a link, or not strict JSON."""

    def json(self, name: str) -> Any: ...

    def lines(self, name: str) -> list[bytes]: ...

    def has(self, name: str) -> bool: ...

    def file_digest_problems(self) -> list[tuple[str, str]]:
        """(path, code) of every file that is not as record.json lists it (§12.1)."""
        ...

    def leaves(self) -> LeafSource: ...


class Verifier:
    def __init__(
        self, rec: RecordSource, progress: ProgressFn | None = None, chunk: int = 200
    ) -> None:
        self.rec = rec
        self.leaves: LeafSource = LeafList([])
        self.progress = progress or (lambda stage, done, total: None)
        self.chunk = chunk
        self.report = Report()

    def fail(self, check: str, item: str, code: str, **params: str | int) -> None:
        self.report.failures.append(Failure(check, item, code, params))

    def failed(self, check: str, item: str, error: Exception) -> None:
        code, params = code_of(error)
        self.report.failures.append(Failure(check, item, code, params))

    @contextmanager
    def section(self, check: str, item: str) -> Iterator[None]:
        try:
            yield
        except (
            SaylauCryptoError,
            KeyError,
            TypeError,
            ValueError,
            AttributeError,
            RecursionError,
        ) as e:
            self.failed(check, item, e)

    def run(self) -> Report:
        rec = self.rec
        try:
            idx = check_index(rec.json("record.json"))
        except InvalidRecord as e:
            self.failed("record", "record.json", e)
            return self.report
        for name, code in rec.file_digest_problems():
            self.fail("record.files", name, code)
        manifest = self._manifest()
        election = self._election(idx, manifest)
        if manifest is None or election is None:
            return self.report
        joint_key, fp, board_pk, dkg_result = election
        creds = self._credentials(manifest)
        if creds is None:
            return self.report
        ctx = ElectionContext(manifest, joint_key, fp)
        agg, rules, leaf_hashes = self._board(ctx, creds)
        self._heads(leaf_hashes, board_pk, fp)
        self._receipts(leaf_hashes, board_pk, fp)
        counts = self._tally(ctx, agg, dkg_result)
        self._results(counts, manifest)
        self.report.results = counts
        self.report.manifest = manifest
        self.report.stats.update(
            leaves=len(leaf_hashes),
            ballots=len(rules.ballot_leaves),
            counted=len(rules.counted()),
            paper_overrides=len(rules.overridden),
            credentials=sum(creds.counts().values()),
        )
        self._paper(manifest, counts, rules)
        return self.report

    def _manifest(self) -> Manifest | None:
        with self.section("manifest", "manifest.json"):
            return manifest_from_json(self.rec.json("manifest.json"))
        return None

    def _election(
        self, idx: dict[str, Any], manifest: Manifest | None
    ) -> tuple[Element, bytes, bytes, dkg.DkgResult] | None:
        el: dict[str, Any] | None = None
        with self.section("election", "election.json"):
            el = self.rec.json("election.json")
            if not isinstance(el, dict) or el.get("schema") != ELECTION_SCHEMA:
                raise CodedError("document.schema", schema=repr(ELECTION_SCHEMA))
            if el.get("group") != GROUP_NAME:
                raise CodedError("election.group", group=repr(GROUP_NAME))
        if el is None or manifest is None:
            return None
        if idx.get("election_id") != manifest.election_id:
            self.fail("record", "record.json", "record.election_id")
        result = None
        with self.section("dkg", "dkg.json"):
            transcript = dkg_json.transcript_from_json(self.rec.json("dkg.json"))
            result = dkg.verify_transcript(
                transcript, dkg_context(manifest.election_id, transcript.n, transcript.t)
            )
            if (transcript.n, transcript.t) != (el.get("trustees"), el.get("threshold")):
                raise CodedError("dkg.size")
        joint = None
        with self.section("election", "election.json"):
            joint = element_from_hex(el.get("joint_public_key"), "joint_public_key")
            if joint == IDENTITY:  # anyone could decrypt: nothing later is sound (STOP)
                joint = None
                raise CodedError("election.identity_key")
            if result is not None and result.joint_public_key != joint:
                self.fail("dkg", "joint_public_key", "dkg.joint_key")
        if joint is None or result is None:
            return None
        fp = manifest_fp = None
        with self.section("fingerprint", "election.json"):
            manifest_fp = fingerprint(manifest, joint)
            fp = bytes_from_hex(el.get("fingerprint"), 32, "fingerprint")
            if fp != manifest_fp:
                self.fail("fingerprint", "election.json", "fingerprint.election")
            if idx.get("fingerprint") != manifest_fp.hex():
                self.fail("fingerprint", "record.json", "fingerprint.record")
        board_pk = None
        with self.section("election", "election.json"):
            board_pk = bytes_from_hex(el.get("board_public_key"), 32, "board_public_key")
        if manifest_fp is None or board_pk is None:
            return None
        return joint, manifest_fp, board_pk, result

    def _credentials(self, manifest: Manifest) -> CredentialList | None:
        creds = None
        wanted = {d.id for d in manifest.districts}
        with self.section("credentials", "credentials.json"):
            creds = credential_list_from_document(self.rec.json("credentials.json"))
            self._same_districts("credentials.json", creds.districts, wanted)
            for d, lst in creds.districts.items():
                for i, c in enumerate(lst):
                    if c == IDENTITY:
                        self.fail("credentials", f"credentials.{d}[{i}]", "credentials.identity")
            roll = self.rec.json("roll.json")
            if not isinstance(roll, dict) or roll.get("schema") != ROLL_SCHEMA:
                raise CodedError("document.schema", schema=repr(ROLL_SCHEMA))
            if not isinstance(roll.get("districts"), dict):
                raise CodedError("roll.districts")
            self._same_districts("roll.json", roll["districts"], wanted)
            check_counts(creds, roll["districts"])
        return creds

    def _same_districts(self, name: str, listed: dict[str, Any], wanted: set[str]) -> None:
        """The districts of credentials.json or roll.json are exactly the manifest's."""
        for d in sorted(set(listed) - wanted):
            self.fail("credentials", name, "credentials.district_unknown", district=d)
        for d in sorted(wanted - set(listed)):
            self.fail("credentials", name, "credentials.district_missing", district=d)

    def _board(
        self, ctx: ElectionContext, creds: CredentialList
    ) -> tuple[Aggregator, events.BoardRules, list[bytes]]:
        try:
            self.leaves = self.rec.leaves()
        except InvalidRecord as e:
            self.failed("board", LEAVES, e)
            return Aggregator(ctx.manifest), events.BoardRules(ctx.fingerprint.hex()), []
        checked = check_leaves(
            self.leaves,
            ctx,
            creds,  # duplicates were reported by _credentials
            chunk=self.chunk,
            progress=self.progress,
        )
        self.report.failures += checked.failures
        return checked.aggregator, checked.rules, checked.leaf_hashes

    def _heads(self, leaf_hashes: list[bytes], board_pk: bytes, fp: bytes) -> None:
        heads: list[board.TreeHead] = []
        try:
            lines = self.rec.lines(HEADS)
        except InvalidRecord as e:
            self.failed("board.heads", HEADS, e)
            return
        for i, line in enumerate(lines):
            with self.section("board.heads", f"head {i}"):
                head = board.tree_head_from_json(strict_loads(line, f"head {i}"), f"head {i}")
                board.verify_tree_head(head, board_pk, fp)
                heads.append(head)
        n = len(leaf_hashes)
        roots = board.roots_at_sizes(leaf_hashes, [h.tree_size for h in heads if h.tree_size <= n])
        for h in heads:
            item = f"head of size {h.tree_size}"
            if h.tree_size > n:
                self.fail("board.heads", item, "heads.too_long", leaves=n)
            elif roots[h.tree_size] != h.root_hash:
                self.fail("board.heads", item, "heads.root")
        # Each head is matched against the record's own leaves, so any two heads that match are
        # consistent with each other (RFC 9162 consistency proofs serve monitors who lack the
        # leaves; the board API hands those out). What is left is the order of signing.
        for prev, h in itertools.pairwise(heads):
            if h.tree_size < prev.tree_size or h.timestamp < prev.timestamp:
                self.fail(
                    "board.consistency", f"{prev.tree_size} → {h.tree_size}", "heads.backwards"
                )
        if not heads or heads[-1].tree_size != n:
            self.fail("board.heads", HEADS, "heads.incomplete", leaves=n)

    def _receipts(self, leaf_hashes: list[bytes], board_pk: bytes, fp: bytes) -> None:
        if not self.rec.has(RECEIPTS):
            return
        roots: dict[int, bytes] = {}
        parsed = []
        for i, line in enumerate(self.rec.lines(RECEIPTS)):
            with self.section("receipt", f"receipt {i}"):
                parsed.append(
                    (i, receipt_from_json(strict_loads(line, f"receipt {i}"), f"receipt {i}"))
                )
        n = self.leaves.count
        sizes = {r.tree_head.tree_size for _, r in parsed if r.tree_head.tree_size <= n}
        roots = board.roots_at_sizes(leaf_hashes, sizes)
        for i, r in parsed:
            item = f"receipt {i} ({r.tracking_code[:16]})"
            index = r.inclusion.leaf_index
            if index >= n:
                self.fail("receipt", item, "receipt.missing_leaf", leaf=index)
                continue
            leaf = self.leaves.leaf(index)
            with self.section("receipt", item):
                ev = strict_loads(leaf, f"leaf {index}")
                held = ev.get("ballot") if isinstance(ev, dict) else None
                if held is None or tracking_code(held) != r.tracking_code:
                    raise CodedError("receipt.other_ballot", leaf=index)
                check_receipt(r, leaf, board_pk, fp)
                if roots.get(r.tree_head.tree_size) != r.tree_head.root_hash:
                    raise CodedError("receipt.fork")

    def _tally(
        self, ctx: ElectionContext, agg: Aggregator, dkg_result: dkg.DkgResult
    ) -> dict[str, Any]:
        tally = None
        with self.section("tally", "tally.json"):
            tally = self.rec.json("tally.json")
        if tally is None:
            return {}
        counts, failures = check_tally(tally, ctx, agg, dkg_result)
        self.report.failures += failures
        return counts

    def _paper(self, manifest: Manifest, counts: dict[str, Any], rules: events.BoardRules) -> None:
        """§12.10 and §14.4: only for a record with paper files (then all three must be
        there) or sanctions.json (which needs the three); a board with paper overrides needs
        them too."""
        present = [name for name in PAPER_FILES if self.rec.has(name)]
        sanctioned = self.rec.has(SANCTIONS)
        if not present and not sanctioned:
            if rules.overridden:  # set-aside ballots need the paper part that accounts for them
                self.fail("paper", LEAVES, "paper.required", overrides=len(rules.overridden))
            return
        if len(present) < len(PAPER_FILES):
            for name in (n for n in PAPER_FILES if n not in present):
                if present:
                    self.fail("paper", name, "paper.file_missing", name=name)
                else:  # sanctions.json alone
                    self.fail("sanctions", name, "sanctions.paper_missing", name=name)
            return
        docs: dict[str, Any] = {}
        for name in (STATIONS, CONSOLIDATION, *([SANCTIONS] if sanctioned else [])):
            with self.section("sanctions" if name == SANCTIONS else "paper", name):
                docs[name] = self.rec.json(name)
        with self.section("paper", PROTOCOLS):
            docs[PROTOCOLS] = self.rec.lines(PROTOCOLS)
        if len(docs) < len(PAPER_FILES) + sanctioned:
            return
        checked = check_paper(
            manifest,
            docs[STATIONS],
            docs[PROTOCOLS],
            docs[CONSOLIDATION],
            counts,
            self._override_precincts(rules),
            docs.get(SANCTIONS, NO_SANCTIONS),
        )
        self.report.failures += checked.failures
        self.report.consolidation = checked.consolidation
        self.report.stats.update(checked.stats)

    def _override_precincts(self, rules: events.BoardRules) -> list[tuple[int, str]]:
        """(leaf index, precinct) of each credential's paper override (a second one for the
        same credential is a board.rule failure already)."""
        out = []
        for index in sorted(rules.overridden.values()):
            with self.section("board.rule", f"leaf {index}"):
                out.append((index, strict_loads(self.leaves.leaf(index))["precinct"]))
        return out

    def _results(self, counts: dict[str, Any], manifest: Manifest) -> None:
        with self.section("results", "results.json"):
            announced = self.rec.json("results.json")
            self.report.failures += check_results(announced, counts, manifest)
