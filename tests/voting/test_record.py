"""A record built from the database board (board_leaves, board_heads, counted_ballots) passes
the universal verifier: the board, the re-vote rule and paper overrides are what the protocol
says. (Publishing the record is the elections app's job; this only checks the voting side.)"""

from __future__ import annotations

import pytest

from saylau.board.models import Leaf
from saylau.crypto import dkg_json
from saylau.crypto.rand import DeterministicRng
from saylau.protocol import board as pb
from saylau.protocol.canonical import canonical_json
from saylau.protocol.receipt import receipt_to_json
from saylau.protocol.tally import aggregate, decrypt_tally, results_from_tally
from saylau.record.disk import RecordWriter
from saylau.record.verify import verify_record
from saylau.voting import services

pytestmark = pytest.mark.django_db


def test_record_from_the_database_board_verifies(world, api, tmp_path):
    election = world.election
    receipts = []
    tokens = {v.member_id: api.sign_in(v, ip=f"10.0.2.{i}") for i, v in enumerate(world.voters)}
    for i, voter in enumerate(world.voters):
        body = api.cast(world.ballot(voter, choice=i % 3), tokens[voter.member_id]).json()
        receipts.append(body["receipt"])
    # two re-votes and a paper vote
    for voter in world.voters[:2]:
        api.cast(world.ballot(voter, choice=2, seed="again"), tokens[voter.member_id])
    services.record_paper_vote(election, world.voters[2].member_id, "PR-1")
    services.close_board(election)

    ballots = list(services.counted_ballots(election))
    assert len(ballots) == len(world.voters) - 1
    agg = aggregate(world.ctx.manifest, ballots)
    present = {j: x for j, x in world.shares.items() if j != 3}
    tally = decrypt_tally(
        world.ctx.fingerprint, world.ctx.manifest, agg, present, 2, DeterministicRng("t")
    )
    results = results_from_tally(tally)
    roll = {d: len(cs) for d, cs in world.credentials.items()}

    out = tmp_path / "record"
    w = RecordWriter(out)
    w.write_json("manifest.json", election.manifest)
    w.write_json(
        "election.json",
        {
            "schema": "saylau-election/1",
            "group": "ristretto255",
            "joint_public_key": election.joint_public_key,
            "fingerprint": world.ctx.fingerprint.hex(),
            "board_public_key": services.board_public_key(election).hex(),
            "trustees": 3,
            "threshold": 2,
        },
    )
    w.write_json("dkg.json", dkg_json.transcript_to_json(world.transcript))
    w.write_json("roll.json", {"schema": "saylau-roll/1", "districts": roll})
    w.write_json(
        "credentials.json",
        {
            "schema": "saylau-credentials/1",
            "districts": {d: sorted(cs) for d, cs in world.credentials.items()},
        },
    )
    w.write_lines("board/leaves.jsonl", services.board_leaves(election))
    w.write_lines(
        "board/heads.jsonl",
        [canonical_json(pb.tree_head_to_json(h)) for h in services.board_heads(election)],
    )
    w.write_lines("receipts.jsonl", [canonical_json(r) for r in receipts])
    w.write_json("tally.json", tally)
    w.write_json("results.json", results)
    w.finish(election.slug, world.ctx.fingerprint)

    report = verify_record(out, workers=1)
    # the paper part (the paper app's, written when the election is published) is left out
    # here, and the verifier insists on it for the board's override: nothing else fails
    assert [(f.check, f.code, f.params) for f in report.failures] == [
        ("paper", "paper.required", {"overrides": 1})
    ]
    assert report.stats["counted"] == len(world.voters) - 1
    assert report.stats["paper_overrides"] == 1
    assert report.stats["leaves"] == Leaf.objects.filter(election=election).count()
    assert receipt_to_json  # the receipts above are protocol.receipt JSON


def test_a_dropped_leaf_is_caught_by_the_heads(world, api):
    """If the database lost a leaf, the stored heads (and every receipt) no longer match."""
    tokens = [api.sign_in(v, ip=f"10.0.3.{i}") for i, v in enumerate(world.voters[:3])]
    for voter, token in zip(world.voters[:3], tokens, strict=True):
        api.cast(world.ballot(voter), token)
    head = services.close_board(world.election)
    leaves = list(services.board_leaves(world.election))
    del leaves[2]
    log = pb.MerkleLog()
    for leaf in leaves:
        log.append(leaf)
    assert log.root() != head.root_hash
