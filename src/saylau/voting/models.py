"""Voting tables: sign-in (throttles, one-time codes, voter sessions, network records). The
board's tables are the board app's (`saylau.board.models`).

No table holds an IIN or a phone number: sign-in rows are keyed by an HMAC of the IIN and
the phone under the site's secret key, codes and tokens are stored hashed. Other apps go through
`saylau.voting.services`.
"""

from __future__ import annotations

from django.db import models

from saylau.elections.models import Election


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
