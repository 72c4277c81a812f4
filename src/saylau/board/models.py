"""The bulletin board's tables: per election, the leaves (exact bytes), every complete
subtree, the signed heads kept for the record, and a state row every append locks.

Beneath the elections and voting apps (decision 0019): the election is named by its model's
label, not imported. The tables keep the names they had in the voting app (`db_table`), so
data and the PostgreSQL append procedure (voting migrations 0003/0004) keep working.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

ELECTION = "elections.Election"


class LeafKind(models.TextChoices):
    OPEN = "open", _("opening")
    CAST = "cast", _("ballot")
    REVOTE = "revote", _("new ballot (re-vote)")
    PAPER_OVERRIDE = "paper_override", _("voted on paper")
    CLOSE = "close", _("closing")


class BoardState(models.Model):
    """One row per election, locked (`select_for_update`) by every append: leaf indexes are
    dense and ordered even with several app servers writing."""

    election = models.OneToOneField(
        ELECTION, on_delete=models.PROTECT, primary_key=True, related_name="board_state"
    )
    size = models.BigIntegerField(default=0)
    # The roots of the perfect subtrees that make up the tree, largest first, concatenated
    # (32 bytes each): enough to append a leaf and compute the new root without a read.
    frontier = models.BinaryField(default=b"")
    last_time = models.BigIntegerField(default=0)  # ms; leaf times never decrease
    closed = models.BooleanField(default=False)

    class Meta:
        db_table = "voting_boardstate"


class Leaf(models.Model):
    # db_index=False: the unique (election, index) index serves look-ups by election; one
    # index less to update per cast. (So for Node.)
    election = models.ForeignKey(
        ELECTION, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    index = models.BigIntegerField()
    # The leaf's exact bytes (canonical JSON of the event). On PostgreSQL stored EXTERNAL
    # (migration 0002): a ballot is mostly hex that does not compress, and trying cost
    # CPU on every cast.
    data = models.BinaryField()
    leaf_hash = models.BinaryField()
    root_hash = models.BinaryField()  # the tree's root once this leaf was appended
    kind = models.CharField(max_length=16, choices=LeafKind.choices)
    time = models.BigIntegerField()  # ms since the Unix epoch, as in the leaf
    tracking_code = models.CharField(max_length=64, null=True, blank=True)
    credential = models.CharField(max_length=64, null=True, blank=True)
    replaces = models.CharField(max_length=64, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "voting_leaf"
        ordering = ["election", "index"]
        constraints = [
            models.UniqueConstraint(fields=["election", "index"], name="voting_leaf_index"),
            models.UniqueConstraint(
                fields=["election", "tracking_code"],
                condition=Q(tracking_code__isnull=False),
                name="voting_leaf_tracking_code",
            ),
        ]
        indexes = [
            models.Index(fields=["election", "credential", "index"], name="voting_leaf_cred"),
            models.Index(fields=["election", "replaces"], name="voting_leaf_replaces"),
        ]


class Node(models.Model):
    """The hash of the complete subtree of 2^level leaves starting at leaf index·2^level
    (level 0: the leaf hashes), stored as the leaves are appended."""

    election = models.ForeignKey(
        ELECTION, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hash = models.BinaryField()

    class Meta:
        db_table = "voting_node"
        constraints = [
            models.UniqueConstraint(fields=["election", "level", "index"], name="voting_node_pos")
        ]


class Head(models.Model):
    """A signed tree head kept for the record: every HEAD_EVERY leaves and at the close."""

    election = models.ForeignKey(ELECTION, on_delete=models.PROTECT, related_name="+")
    tree_size = models.BigIntegerField()
    timestamp = models.BigIntegerField()
    root_hash = models.BinaryField()
    signature = models.BinaryField()

    class Meta:
        db_table = "voting_head"
        ordering = ["election", "tree_size"]
        constraints = [
            models.UniqueConstraint(fields=["election", "tree_size"], name="voting_head_size")
        ]
