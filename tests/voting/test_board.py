"""The board in the database: dense indexes, roots equal to protocol.board.MerkleLog at every
size, proofs from stored subtrees, stored and on-demand heads that agree."""

from __future__ import annotations

import pytest

from saylau.board import store
from saylau.board.models import BoardState, Head, Leaf, LeafKind, Node
from saylau.protocol import board as pb
from saylau.protocol import events
from saylau.protocol.canonical import strict_loads
from saylau.voting import services
from saylau.voting.errors import BoardError

pytestmark = pytest.mark.django_db
APPENDS = 600


def append_many(election, n: int) -> None:
    for i in range(n):
        state = store.lock_state(election)
        at = store.leaf_time(state, None)
        data = events.leaf_bytes(events.close_event(at))  # any bytes do
        store.append_leaf(election, state, store.LeafRow(data + str(i).encode(), LeafKind.CAST, at))


def test_open_leaf(world):
    election = world.election
    leaves = list(services.board_leaves(election))
    assert len(leaves) == 1
    event = strict_loads(leaves[0])
    assert event["type"] == "open"
    assert event["election"] == world.ctx.fingerprint.hex()
    assert election.board_public_key == services.board_public_key(election).hex()
    with pytest.raises(BoardError):
        services.open_board(election)


def test_many_appends_match_the_reference_log(world):
    election = world.election
    append_many(election, APPENDS)
    data = list(services.board_leaves(election))
    assert len(data) == APPENDS + 1
    log = pb.MerkleLog()
    for d in data:
        log.append(d)
    indexes = list(Leaf.objects.filter(election=election).values_list("index", flat=True))
    assert indexes == list(range(APPENDS + 1))
    key, log_id = services.board_public_key(election), world.ctx.fingerprint
    for size in (1, 2, 3, 255, 256, 257, 511, 512, APPENDS + 1):
        head = services.head_at(election, size)
        assert head.root_hash == log.root(size)
        pb.verify_tree_head(head, key, log_id)
        for index in {0, size // 2, size - 1}:
            proof = services.inclusion_proof(election, index, size)
            assert list(proof.path) == log.inclusion_proof(index, size)
            pb.verify_inclusion(
                pb.leaf_hash(data[index]), index, size, list(proof.path), head.root_hash
            )
    for old, new in ((1, 601), (256, 257), (300, 512), (511, 601)):
        proof = services.consistency_proof(election, old, new)
        pb.verify_consistency(old, new, log.root(old), log.root(new), list(proof.path))
    state = BoardState.objects.get(election=election)
    assert state.size == APPENDS + 1
    # every complete subtree is stored exactly once
    expected_nodes = sum((APPENDS + 1) >> level for level in range((APPENDS + 1).bit_length()))
    assert Node.objects.filter(election=election).count() == expected_nodes


def test_heads_every_256_and_at_close(world):
    election = world.election
    append_many(election, 520)
    final = services.close_board(election)
    heads = list(services.board_heads(election))
    assert [h.tree_size for h in heads] == [256, 512, 522]
    assert heads[-1] == final
    for h in heads:
        pb.verify_tree_head(h, services.board_public_key(election), world.ctx.fingerprint)
        assert h == services.head_at(election, h.tree_size)  # deterministic heads
    assert Head.objects.filter(election=election).count() == 3
    assert strict_loads(list(services.board_leaves(election))[-1])["type"] == "close"
    info = services.info(election)
    assert info.closed and info.size == 522 and info.head == final
    rules = services.board_rules(election)
    rules.finish(522)
    assert not [p for p in rules.problems if "time" in p[1] or "order" in p[1]]
    with pytest.raises(BoardError):
        services.close_board(election)


def test_leaf_times_never_go_backwards(world):
    election = world.election
    state = store.lock_state(election)
    later = state.last_time + 10_000
    store.append_leaf(election, state, store.LeafRow(b"x", LeafKind.CAST, later))
    import datetime as dt

    from django.utils import timezone

    past = timezone.now() - dt.timedelta(days=1)
    assert store.leaf_time(store.lock_state(election), past) == later


def test_close_before_open_is_refused(world_factory):
    world = world_factory(open_board=False)
    with pytest.raises(BoardError):
        services.close_board(world.election)
    assert services.info(world.election).head is None
