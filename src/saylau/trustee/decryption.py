"""A trustee's decryption, after the board is checked.

Before computing any decryption share, `decrypt` downloads the public board and checks that
the sums the server asks it to decrypt are exactly the sums of the ballots that count on the
closed, signed board (protocol.tally_check; docs/protocol.md §10.6): a server that offers one
voter's ballot as "the sum" gets a refusal, and nothing is sent.
"""

from __future__ import annotations

import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from saylau.client.seat import SeatClient
from saylau.crypto import threshold
from saylau.crypto.encoding import bytes_from_hex, element_from_hex, scalar_from_hex
from saylau.crypto.errors import InvalidTreeHead, SaylauCryptoError
from saylau.crypto.group import Element
from saylau.crypto.rand import Rng
from saylau.i18n import _
from saylau.protocol import board, tally_check
from saylau.protocol.ballot import ElectionContext
from saylau.protocol.documents import credential_list_from_document
from saylau.protocol.errors import (
    BoardForked,
    BoardMismatch,
    BoardNotClosed,
    InvalidBoard,
    SumsMismatch,
)
from saylau.protocol.manifest import Manifest, fingerprint, manifest_from_json
from saylau.protocol.tally import share_context, share_to_json
from saylau.protocol.tally_check import CheckedBoard
from saylau.protocol.verify_ballots import ProgressFn
from saylau.record.leaves import LeavesFile
from saylau.trustee.keyfile import BoardCheckFailed, KeyFile, TrusteeError

#: Leaves asked for per request when downloading the board.
LEAF_PAGE = 10_000


@dataclass(frozen=True)
class Decrypted:
    shares: int  # decryption shares sent
    board: CheckedBoard  # the board they were checked against


def _refusal(error: SaylauCryptoError) -> BoardCheckFailed:
    """The translated message for a failed board check."""
    problem = {"problem": str(error)}
    if isinstance(error, BoardNotClosed):
        message = _("Voting is not over: the board is not closed (%(problem)s).") % problem
    elif isinstance(error, InvalidTreeHead):
        message = (
            _(
                "The board's signed tree head does not verify with the election's board key: "
                "%(problem)s."
            )
            % problem
        )
    elif isinstance(error, BoardForked):
        message = (
            _(
                "The board the server shows you is not the board of a signed head seen "
                "elsewhere (a fork): %(problem)s."
            )
            % problem
        )
    elif isinstance(error, BoardMismatch):
        message = (
            _("The board's leaves are not the tree its signed head commits to: %(problem)s.")
            % problem
        )
    elif isinstance(error, InvalidBoard):
        message = _("The board breaks the protocol: %(problem)s.") % problem
    elif isinstance(error, SumsMismatch):
        message = (
            _(
                "The server asks to decrypt something other than the sums of the ballots that "
                "count on the board: %(problem)s."
            )
            % problem
        )
    else:
        message = _("The board cannot be read: %(problem)s.") % problem
    return BoardCheckFailed(message + " " + _("Nothing was decrypted and nothing was sent."), error)


def _download_leaves(
    client: SeatClient, size: int, dest: Path, progress: ProgressFn
) -> tuple[list[tuple[int, int]], list[bytes]]:
    """Stream the board's first `size` leaves into `dest` (JSON Lines, as in the record);
    return each line's (offset, length) and leaf hash."""
    spans: list[tuple[int, int]] = []
    hashes: list[bytes] = []
    offset = 0
    progress("board", 0, size)
    with dest.open("wb") as out:
        while len(spans) < size:
            before = len(spans)
            limit = min(LEAF_PAGE, size - before)
            for line in client.lines("/board/leaves.jsonl", start=before, limit=limit):
                if len(spans) - before >= limit:
                    raise BoardMismatch(f"the server sent more than the {limit} leaves asked for")
                out.write(line + b"\n")
                spans.append((offset, len(line)))
                hashes.append(board.leaf_hash(line))
                offset += len(line) + 1
            if len(spans) == before:
                break  # the server has no more leaves: check_tree names the shortfall
            progress("board", len(spans), size)
    return spans, hashes


def check_board(
    client: SeatClient,
    manifest: Manifest,
    joint: Element,
    *,
    workers: int = 1,
    progress: ProgressFn | None = None,
    workdir: Path | None = None,
    seen: Mapping[int, bytes] | None = None,
) -> CheckedBoard:
    """Download the public board and check it (protocol.tally_check): closed, its signed
    head verifies with the board key, the leaves form that tree, it extends every head in
    `seen` (size → root, seen elsewhere), every ballot and rule holds; return the sums of
    the ballots that count. BoardCheckFailed otherwise."""
    report = progress or (lambda stage, done, total: None)
    try:
        ctx = ElectionContext.make(manifest, joint)
        state = client.public("/board")
        if not isinstance(state, dict) or state.get("closed") is not True:
            raise BoardNotClosed("the server reports the board open")
        head = board.tree_head_from_json(state.get("tree_head"), "tree_head")
        board_key = bytes_from_hex(state.get("board_public_key"), 32, "board_public_key")
        tally_check.check_head(head, board_key, ctx.fingerprint)
        creds = credential_list_from_document(client.public("/credentials"))
        with tempfile.TemporaryDirectory(prefix="saylau-board-", dir=workdir) as tmp:
            leaves = Path(tmp) / "leaves.jsonl"
            spans, hashes = _download_leaves(client, head.tree_size, leaves, report)
            tally_check.check_tree(head, hashes)
            tally_check.check_extends(hashes, seen or {})
            del hashes
            return tally_check.check_counted(
                LeavesFile(leaves, spans, workers), head, ctx, creds, progress=report
            )
    except SaylauCryptoError as error:
        raise _refusal(error) from None


def decrypt(
    client: SeatClient,
    kf: KeyFile,
    path: Path,
    manifest_raw: Any,
    rng: Rng,
    *,
    workers: int = 1,
    progress: ProgressFn | None = None,
    workdir: Path | None = None,
    seen: Mapping[int, bytes] | None = None,
) -> Decrypted:
    """Check the board and the offered sums (check_board, then the sums must be exactly the
    board's), then compute and send decryption shares of those sums."""
    if kf.secret_share is None or kf.joint_public_key is None or kf.verification_key is None:
        raise TrusteeError(_("This key file holds no key share: finish the ceremony first."))
    sums = client.get("/tally/sums")
    joint = element_from_hex(kf.joint_public_key, "joint_public_key")
    manifest = manifest_from_json(manifest_raw)
    fp = fingerprint(manifest, joint)
    if sums["fingerprint"] != fp.hex():
        raise TrusteeError(
            _("The server's election fingerprint differs from the one computed here.")
        )
    checked = check_board(
        client, manifest, joint, workers=workers, progress=progress, workdir=workdir, seen=seen
    )
    try:
        tally_check.check_offered_sums(manifest, checked.sums, checked.counts, sums)
    except SumsMismatch as error:
        raise _refusal(error) from None
    x = scalar_from_hex(kf.secret_share, "secret_share")
    vk = Element(bytes.fromhex(kf.verification_key))
    out: dict[str, dict[str, list[Any]]] = {}
    count = 0
    for district in manifest.districts:
        for contest in manifest.contests_for(district.id):
            shares = []
            for j, ct in enumerate(checked.sums[district.id][contest.id]):
                ctx = share_context(fp, district.id, contest.id, j)
                share = threshold.decryption_share(
                    kf.index, x, ct.alpha, ctx, rng, verification_key=vk
                )
                shares.append(share_to_json(share))
                count += 1
            out.setdefault(district.id, {})[contest.id] = shares
    client.post("/tally/shares", {"districts": out})
    kf.decrypted = True
    kf.save(path)
    return Decrypted(count, checked)
