"""Voting tables: the board (leaves, complete subtrees, signed heads, a state row per election)
and sign-in (throttles, one-time codes, voter sessions, network records).

No table holds an IIN or a phone number: sign-in rows are keyed by an HMAC of the IIN and
the phone under the site's secret key, codes and tokens are stored hashed. Other apps go through
`saylau.voting.services`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saylau.elections.models import Election


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
        Election, on_delete=models.PROTECT, primary_key=True, related_name="board_state"
    )
    size = models.BigIntegerField(default=0)
    # The roots of the perfect subtrees that make up the tree, largest first, concatenated
    # (32 bytes each): enough to append a leaf and compute the new root without a read.
    frontier = models.BinaryField(default=b"")
    last_time = models.BigIntegerField(default=0)  # ms; leaf times never decrease
    closed = models.BooleanField(default=False)


class Leaf(models.Model):
    # db_index=False: the unique (election, index) index serves look-ups by election; one
    # index less to update per cast. (So for Node.)
    election = models.ForeignKey(
        Election, on_delete=models.PROTECT, related_name="+", db_index=False
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
        Election, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    level = models.PositiveSmallIntegerField()
    index = models.BigIntegerField()
    hash = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["election", "level", "index"], name="voting_node_pos")
        ]


class Head(models.Model):
    """A signed tree head kept for the record: every HEAD_EVERY leaves and at the close."""

    election = models.ForeignKey(Election, on_delete=models.PROTECT, related_name="+")
    tree_size = models.BigIntegerField()
    timestamp = models.BigIntegerField()
    root_hash = models.BinaryField()
    signature = models.BinaryField()

    class Meta:
        ordering = ["election", "tree_size"]
        constraints = [
            models.UniqueConstraint(fields=["election", "tree_size"], name="voting_head_size")
        ]


class SignInGuard(models.Model):
    """Throttle and lockout state of one IIN + phone pair (by HMAC) in one election, whether
    or not the pair is on the roll: answers and work are the same either way."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    pair_key = models.CharField(max_length=64)
    failures = models.PositiveSmallIntegerField(default=0)
    locked_until = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)
    window_start = models.DateTimeField(null=True, blank=True)
    sent_in_window = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["election", "pair_key"], name="voting_guard_pair")
        ]


class Challenge(models.Model):
    """A one-time code sent (or, for details that match nobody, pretended to be sent)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    key_hash = models.CharField(max_length=64, unique=True)  # SHA-256 of the challenge id
    pair_key = models.CharField(max_length=64)
    member_id = models.BigIntegerField(null=True, blank=True)  # None: no SMS was sent
    code_hash = models.CharField(max_length=64)
    network = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    # Set on the challenge whose wrong codes paused its pair: its holder is told until when.
    paused_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [
            models.Index(fields=["election", "pair_key"], name="voting_challenge_pair"),
            models.Index(fields=["election", "network", "created_at"], name="voting_challenge_net"),
        ]


class VoterSession(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    member_id = models.BigIntegerField()
    token_hash = models.CharField(max_length=64, unique=True)
    network = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()


class SignInEvent(models.Model):
    """A completed sign-in: who (member id, never the IIN) from which network and when.
    For the IP policy and the organisers' cluster view; never published."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    member_id = models.BigIntegerField()
    network = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["election", "network", "at"], name="voting_signin_net"),
        ]


class NetworkClaim(models.Model):
    """Under the `strict` policy: the one member a network address serves in an election."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    network = models.CharField(max_length=64)
    member_id = models.BigIntegerField()
    at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["election", "network"], name="voting_claim_network")
        ]
