"""After a load run or a crash: is every ballot a voter got a receipt for on the board, at the
receipt's leaf index, and is the board one consistent Merkle log? Read from the database
(psycopg) and, for the receipts, through the public API as a voter would."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import psycopg

from saylau.client.voting import CastReceipt, ClientError, VotingClient
from saylau.crypto.errors import SaylauCryptoError
from saylau.protocol import board, merkle


@dataclass
class BoardReport:
    leaves: int = 0
    ballot_leaves: int = 0
    receipts: int = 0
    heads_checked: int = 0
    api_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def check_board(
    conninfo: str,
    election_pk: int,
    receipts: Sequence[CastReceipt],
    board_public_key: bytes,
    fingerprint: bytes,
) -> BoardReport:
    """Every receipt's leaf is the stored leaf at its index and its head's root is the root
    of the stored leaves up to it; indexes are dense; every stored signed head and the board
    state's frontier agree with the roots recomputed from the leaves."""
    report = BoardReport(receipts=len(receipts))
    with psycopg.connect(conninfo, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT index, data, kind, tracking_code FROM voting_leaf "
            "WHERE election_id = %s ORDER BY index",
            [election_pk],
        ).fetchall()
        heads = conn.execute(
            "SELECT tree_size, timestamp, root_hash, signature FROM voting_head "
            "WHERE election_id = %s ORDER BY tree_size",
            [election_pk],
        ).fetchall()
        state = conn.execute(
            "SELECT size, frontier FROM voting_boardstate WHERE election_id = %s", [election_pk]
        ).fetchone()
    report.leaves = len(rows)
    report.ballot_leaves = sum(1 for r in rows if r[2] in ("cast", "revote"))
    if [r[0] for r in rows] != list(range(len(rows))):
        report.problems.append("leaf indexes are not 0, 1, 2, … without gaps")
        return report
    data = [bytes(r[1]) for r in rows]
    codes = [r[3] for r in rows]
    hashes = [board.leaf_hash(d) for d in data]
    sizes = {r.leaf_index + 1 for r in receipts if r.leaf_index < len(rows)}
    sizes |= {h[0] for h in heads if h[0] <= len(rows)} | {len(rows)}
    roots = board.roots_at_sizes(hashes, sizes)
    for r in receipts:
        code = r.receipt.tracking_code
        if r.leaf_index >= len(rows) or data[r.leaf_index] != r.leaf or codes[r.leaf_index] != code:
            report.problems.append(f"receipt {code[:16]}…: not on the board at {r.leaf_index}")
        elif r.receipt.tree_head.root_hash != roots[r.leaf_index + 1]:
            report.problems.append(f"receipt {code[:16]}…: its head is not this board's")
    for size, timestamp, root, signature in heads:
        head = board.TreeHead(size, timestamp, bytes(root), bytes(signature))
        try:
            board.verify_tree_head(head, board_public_key, fingerprint)
        except SaylauCryptoError as error:
            report.problems.append(f"stored head {size}: {error}")
        if size > len(rows) or roots[size] != bytes(root):
            report.problems.append(f"stored head {size}: root differs from the leaves'")
        report.heads_checked += 1
    if state is None or state[0] != len(rows):
        report.problems.append("the board state's size is not the number of leaves")
    elif (
        rows and merkle.fold(merkle.split_frontier(bytes(state[1]), len(rows))) != roots[len(rows)]
    ):
        report.problems.append("the board state's frontier does not fold to the leaves' root")
    return report


def check_through_api(
    base_url: str, slug: str, receipts: Sequence[CastReceipt], concurrency: int = 4
) -> list[str]:
    """Look every receipt's tracking code up on the public board (the client checks the
    inclusion proof in the signed head now); the leaf index must be the receipt's."""

    def look(chunk: Sequence[CastReceipt]) -> list[str]:
        problems = []
        with VotingClient(base_url, slug, retries=3) as client:
            for r in chunk:
                code = r.receipt.tracking_code
                try:
                    found = client.find(code)
                except ClientError as error:
                    problems.append(f"{code[:16]}…: {error.message}")
                    continue
                at = found["leaf"]["index"]
                if at != r.leaf_index:
                    problems.append(f"{code[:16]}…: at leaf {at}, not {r.leaf_index}")
        return problems

    chunks = [receipts[k::concurrency] for k in range(concurrency)]
    with ThreadPoolExecutor(concurrency) as pool:
        return [p for found in pool.map(look, chunks) for p in found]
