"""What a trustee checks before computing any decryption share (docs/protocol.md §10.6).

The server asks the trustees to decrypt encrypted sums. A dishonest server could offer one
voter's ballot (or the sums without one ballot, minus another, …) as "the sum" and learn how
that voter voted. So a trustee decrypts only the sums it has recomputed itself from the
public board, which voters' receipts and the published record bind:

1. the board's signed tree head verifies with the election's board key, for log id = the
   election fingerprint (`check_head`; crypto.errors.InvalidTreeHead otherwise);
2. the downloaded leaves are exactly the tree of that head: as many leaves as its size, and
   the RFC 9162 root of their hashes is its root (`check_tree`; BoardMismatch);
3. every leaf and ballot passes the verifier's checks, the board rules hold, the last leaf
   is the `close` (`check_counted`; BoardNotClosed, InvalidBoard), and the sums over the
   ballots that count are recomputed (verify_ballots.check_leaves, as `saylau verify` does);
4. the sums offered are exactly those, option by option, with the same number of ballots
   per district (`check_offered_sums`; SumsMismatch).

Pure: the caller downloads the leaves and hands them over as a LeafSource (protocol.leaves).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from saylau.crypto.encoding import element_hex
from saylau.crypto.group import IDENTITY
from saylau.protocol import board
from saylau.protocol.ballot import ElectionContext
from saylau.protocol.credentials import CredentialList
from saylau.protocol.errors import (
    BoardForked,
    BoardMismatch,
    BoardNotClosed,
    InvalidBoard,
    SumsMismatch,
)
from saylau.protocol.leaves import LeafSource
from saylau.protocol.manifest import Manifest
from saylau.protocol.tally import Sums
from saylau.protocol.verify_ballots import ProgressFn, check_leaves

#: How many failures an InvalidBoard message names.
NAMED_FAILURES = 3


@dataclass(frozen=True)
class CheckedBoard:
    """A closed board whose every check holds, and the sums of the ballots that count."""

    head: board.TreeHead
    sums: Sums
    counts: dict[str, int]
    leaves: int
    ballots: int
    counted: int


def check_head(head: board.TreeHead, board_public_key: bytes, fingerprint: bytes) -> None:
    """The board's Ed25519 signature on `head` for the log `fingerprint` (§9.5)."""
    board.verify_tree_head(head, board_public_key, fingerprint)


def check_tree(head: board.TreeHead, leaf_hashes: Sequence[bytes]) -> None:
    """The leaves are the tree `head` signs: its size, and its RFC 9162 root (§9.3)."""
    n = len(leaf_hashes)
    if n != head.tree_size:
        raise BoardMismatch(
            f"{n} leaves were given for a signed tree head of size {head.tree_size}"
        )
    if board.roots_at_sizes(leaf_hashes, [n])[n] != head.root_hash:
        raise BoardMismatch(
            f"the root of the {n} leaves is not the signed head's root "
            "(a leaf was changed, added, dropped or reordered)"
        )


def check_extends(leaf_hashes: Sequence[bytes], seen: Mapping[int, bytes]) -> None:
    """The board extends every head seen elsewhere — size → root, from a voter's receipt, an
    observer, the board page at another time: the root of its first `size` leaves is that
    root (§10.6). A server that shows trustees a board other than the voters' fails here."""
    n = len(leaf_hashes)
    for size in sorted(seen):
        if not 1 <= size <= n:
            raise BoardForked(f"a head of size {size} was seen, but the board has {n} leaves")
    roots = board.roots_at_sizes(leaf_hashes, seen)
    for size, root in sorted(seen.items()):
        if roots[size] != root:
            raise BoardForked(
                f"its first {size} leaves have root {roots[size].hex()}, not the "
                f"{root.hex()} of the head seen"
            )


def check_counted(
    leaves: LeafSource,
    head: board.TreeHead,
    ctx: ElectionContext,
    creds: CredentialList,
    *,
    chunk: int = 200,
    progress: ProgressFn | None = None,
) -> CheckedBoard:
    """Check every leaf and ballot of a closed board (§12.4) and recompute the sums of the
    counted ballots (§10.1). `head` must have passed check_head; the leaves' hashes are
    matched against it again here, as the chunks are checked."""
    for district, listed in creds.districts.items():
        if any(c == IDENTITY for c in listed):
            raise InvalidBoard(f"credentials.{district}: the identity element is listed")
    checked = check_leaves(leaves, ctx, creds, chunk=chunk, progress=progress)
    check_tree(head, checked.leaf_hashes)  # the leaves checked are the signed tree's
    rules = checked.rules
    if rules.closed_at is None:
        raise BoardNotClosed(f"the board of {leaves.count} leaves has no 'close' leaf")
    if checked.failures:
        named = "; ".join(str(f) for f in checked.failures[:NAMED_FAILURES])
        more = len(checked.failures) - NAMED_FAILURES
        raise InvalidBoard(named + (f"; and {more} more" if more > 0 else ""))
    return CheckedBoard(
        head=head,
        sums=checked.aggregator.sums,
        counts=dict(checked.aggregator.counts),
        leaves=leaves.count,
        ballots=len(rules.ballot_leaves),
        counted=len(rules.counted()),
    )


def _fields(obj: Any, keys: set[str], where: str) -> Mapping[str, Any]:
    if not isinstance(obj, dict) or not keys <= set(obj):
        raise SumsMismatch(f"{where}: expected an object with {', '.join(sorted(keys))}")
    return obj


def _list(obj: Any, length: int, where: str) -> list[Any]:
    if not isinstance(obj, list) or len(obj) != length:
        raise SumsMismatch(f"{where}: expected {length} entries")
    return obj


def check_offered_sums(
    manifest: Manifest, sums: Sums, counts: Mapping[str, int], offered: Any
) -> None:
    """The sums the server offers for decryption — {"districts": [{"id", "ballots_counted",
    "contests": [{"id", "options": [{"id", "alpha", "beta"}, …]}, …]}, …]}, every district,
    contest and option in manifest order — are exactly `sums` and `counts`."""
    doc = _fields(offered, {"districts"}, "sums")
    districts = _list(doc["districts"], len(manifest.districts), "sums.districts")
    for d, got_d in zip(manifest.districts, districts, strict=True):
        got = _fields(got_d, {"id", "ballots_counted", "contests"}, f"district {d.id}")
        if got["id"] != d.id:
            raise SumsMismatch(f"district {got['id']!r} offered where {d.id!r} is expected")
        if got["ballots_counted"] != counts[d.id]:
            raise SumsMismatch(
                f"district {d.id}: {got['ballots_counted']} ballots claimed, "
                f"{counts[d.id]} count on the board"
            )
        contests = manifest.contests_for(d.id)
        got_contests = _list(got["contests"], len(contests), f"district {d.id} contests")
        for contest, got_c in zip(contests, got_contests, strict=True):
            where = f"{d.id}/{contest.id}"
            c = _fields(got_c, {"id", "options"}, where)
            if c["id"] != contest.id:
                raise SumsMismatch(f"{where}: contest {c['id']!r} offered instead")
            options = _list(c["options"], len(contest.options), f"{where} options")
            for j, (option, got_o) in enumerate(zip(contest.options, options, strict=True)):
                o = _fields(got_o, {"id", "alpha", "beta"}, f"{where}/{option.id}")
                ct = sums[d.id][contest.id][j]
                if o["id"] != option.id:
                    raise SumsMismatch(f"{where}: option {o['id']!r} offered at {option.id!r}")
                if (o["alpha"], o["beta"]) != (element_hex(ct.alpha), element_hex(ct.beta)):
                    raise SumsMismatch(
                        f"{where}/{option.id}: the ciphertext offered is not the sum of the "
                        "counted ballots on the board"
                    )
