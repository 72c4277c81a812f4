"""protocol.tally_check on its own: the tree of a signed head, and the exact comparison of
the sums a server offers for decryption (the board-wide checks run in
tests/elections/test_trustee_check.py)."""

from __future__ import annotations

import copy

import pytest

from saylau.crypto import elgamal
from saylau.crypto.encoding import element_hex
from saylau.crypto.group import base_mul
from saylau.crypto.rand import DeterministicRng
from saylau.protocol import board
from saylau.protocol.errors import BoardForked, BoardMismatch, SumsMismatch
from saylau.protocol.manifest import manifest_from_json
from saylau.protocol.tally import Aggregator
from saylau.protocol.tally_check import check_extends, check_offered_sums, check_tree
from tests.voting.helpers import make_manifest


def offered(manifest, agg):
    return {
        "districts": [
            {
                "id": d.id,
                "ballots_counted": agg.counts[d.id],
                "contests": [
                    {
                        "id": c.id,
                        "options": [
                            {
                                "id": o.id,
                                "alpha": element_hex(ct.alpha),
                                "beta": element_hex(ct.beta),
                            }
                            for o, ct in zip(c.options, agg.sums[d.id][c.id], strict=True)
                        ],
                    }
                    for c in manifest.contests_for(d.id)
                ],
            }
            for d in manifest.districts
        ]
    }


@pytest.fixture
def sums():
    manifest = manifest_from_json(make_manifest("e"))
    agg = Aggregator(manifest)
    rng = DeterministicRng("tc")
    key = base_mul(rng.scalar())
    cts = agg.sums["KZ-75"]["KZ-75-mazhilis"]
    cts[0] = elgamal.encrypt(key, 1, rng.scalar())
    agg.counts["KZ-75"] = 1
    return manifest, agg


def test_the_exact_sums_pass(sums):
    manifest, agg = sums
    check_offered_sums(manifest, agg.sums, agg.counts, offered(manifest, agg))


@pytest.mark.parametrize(
    "change",
    [
        lambda doc: doc["districts"].reverse(),
        lambda doc: doc["districts"].pop(),
        lambda doc: doc["districts"][0].update(ballots_counted=2),
        lambda doc: doc["districts"][0]["contests"][0]["options"].reverse(),
        lambda doc: doc["districts"][0]["contests"][0]["options"][0].update(
            alpha=doc["districts"][0]["contests"][0]["options"][1]["alpha"]
        ),
        lambda doc: doc["districts"][0]["contests"][0]["options"][0].update(
            beta=doc["districts"][0]["contests"][0]["options"][0]["beta"].upper()
        ),
        lambda doc: doc["districts"][0]["contests"][0].update(id="other"),
        lambda doc: doc.pop("districts"),
    ],
)
def test_any_other_sums_are_refused(sums, change):
    manifest, agg = sums
    doc = copy.deepcopy(offered(manifest, agg))
    change(doc)
    with pytest.raises(SumsMismatch):
        check_offered_sums(manifest, agg.sums, agg.counts, doc)


def test_the_tree_of_a_head():
    leaves = [f'{{"n":{i}}}'.encode() for i in range(7)]
    log = board.MerkleLog()
    for leaf in leaves:
        log.append(leaf)
    key = board.BoardKey.from_seed(b"k" * 32)
    head = board.sign_tree_head(key, b"f" * 32, 7, 1, log.root())
    hashes = [board.leaf_hash(leaf) for leaf in leaves]
    check_tree(head, hashes)
    with pytest.raises(BoardMismatch, match="7"):
        check_tree(head, hashes[:6])
    with pytest.raises(BoardMismatch, match="root"):
        check_tree(head, [*hashes[:3], board.leaf_hash(b"{}"), *hashes[4:]])
    with pytest.raises(BoardMismatch, match="root"):
        check_tree(head, [hashes[1], hashes[0], *hashes[2:]])


def test_the_board_extends_every_head_seen_elsewhere():
    leaves = [f'{{"n":{i}}}'.encode() for i in range(7)]
    hashes = [board.leaf_hash(leaf) for leaf in leaves]
    log = board.MerkleLog()
    seen = {}
    for k, leaf in enumerate(leaves, start=1):
        log.append(leaf)
        seen[k] = log.root()  # the head a voter saw after leaf k
    check_extends(hashes, seen)
    check_extends(hashes, {})
    # the same sizes on a board where leaf 2 differs: every head from size 3 on is a fork
    forked = [*hashes[:2], board.leaf_hash(b'{"n":"other"}'), *hashes[3:]]
    check_extends(forked, {1: seen[1], 2: seen[2]})
    for size in range(3, 8):
        with pytest.raises(BoardForked, match=f"first {size} leaves"):
            check_extends(forked, {size: seen[size]})
    with pytest.raises(BoardForked, match="size 8"):
        check_extends(hashes, {8: seen[7]})
    with pytest.raises(BoardForked, match="size 0"):
        check_extends(hashes, {0: seen[1]})
