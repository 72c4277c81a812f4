"""Elections: the manifest, the lifecycle, the seats of trustees and of the credential
authority, the key ceremony's relayed messages and results, the credentials the CA uploaded,
the tally, and the append-only audit log.

Other apps use `saylau.elections.services`, not these tables directly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True, slots=True)
class IssuedToken:
    """A seat's bearer token as it was made (`seats`): shown once, never stored."""

    role: str
    index: int
    name: str
    token: str  # shown once


class Status(models.TextChoices):
    DRAFT = "draft", _("draft")
    ROLL_CLOSED = "roll_closed", _("roll closed")
    KEYS_READY = "keys_ready", _("keys ready")
    CREDENTIALS_ISSUED = "credentials_issued", _("credentials issued")
    OPEN = "open", _("open")
    CLOSED = "closed", _("closed")
    TALLIED = "tallied", _("tallied")
    PUBLISHED = "published", _("published")


class IpPolicy(models.TextChoices):
    STRICT = "strict", _("one voter per IP address")
    LIMIT = "limit", _("a limited number of voters per IP address per hour")
    FLAG = "flag", _("accept, record and flag clusters")


class Election(models.Model):
    slug = models.CharField(_("election id"), max_length=64, unique=True)
    manifest = models.JSONField(_("manifest"))
    status = models.CharField(
        _("status"), max_length=24, choices=Status.choices, default=Status.DRAFT
    )
    opens_at = models.DateTimeField(_("voting opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("voting closes"), null=True, blank=True)
    ip_policy = models.CharField(
        _("IP policy"), max_length=8, choices=IpPolicy.choices, default=IpPolicy.STRICT
    )
    ip_limit_per_hour = models.PositiveIntegerField(_("voters per IP per hour"), default=20)
    trustees = models.PositiveSmallIntegerField(_("trustees"), default=3)
    threshold = models.PositiveSmallIntegerField(_("threshold"), default=2)
    joint_public_key = models.CharField(_("joint public key"), max_length=64, blank=True)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    board_public_key = models.CharField(_("board public key"), max_length=64, blank=True)
    # The board's Ed25519 seed. Production deployments should inject it from a secret store
    # (SAYLAU_BOARD_SEED_<slug>); the column keeps development and tests self-contained.
    board_seed = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Not a column: set by services.create_election on the election it returns (the seats'
    # tokens, shown once; only their hashes are stored).
    issued_tokens: list[IssuedToken]

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        permissions = [
            ("run_election", _("Can move an election through its lifecycle")),
        ]

    def __str__(self) -> str:
        return self.slug

    def title(self, language: str = "kk") -> str:
        title: dict[str, Any] = self.manifest.get("title", {})
        return str(title.get(language[:2]) or title.get("kk") or self.slug)


class PublicCredential(models.Model):
    """A public credential uploaded by the credential authority.

    `member_id` is the private mapping (decision 0002): it lets the server check that a
    ballot's credential is the signed-in member's. The record publishes district and
    credential only.
    """

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="credentials")
    district = models.CharField(max_length=64)
    credential = models.CharField(max_length=64)
    member_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["election", "credential"], name="elections_credential_unique"
            ),
            models.UniqueConstraint(
                fields=["election", "member_id"], name="elections_credential_member_unique"
            ),
        ]


class AuditEvent(models.Model):
    """Append-only: every staff action that changes an election or its result."""

    election = models.ForeignKey(
        Election, on_delete=models.PROTECT, related_name="audit_events", null=True
    )
    at = models.DateTimeField(auto_now_add=True)
    actor = models.CharField(max_length=150)
    action = models.CharField(max_length=64)
    details = models.JSONField(default=dict)

    class Meta:
        ordering = ["id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("audit events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("audit events are append-only")


class Seat(models.Model):
    """A trustee's seat (index 1..n) or the credential authority's (index 0).

    Its bearer token is shown once, when the seat is made; only its SHA-256 is kept.
    """

    class Role(models.TextChoices):
        TRUSTEE = "trustee", _("trustee")
        CA = "ca", _("credential authority")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="seats")
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    index = models.PositiveSmallIntegerField(_("number"))
    name = models.CharField(_("name"), max_length=150, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The CA's seat: when its upload was complete (then its secrets may be destroyed).
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["election", "role", "index"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "role", "index"], name="elections_seat_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.election.slug}/{self.role}/{self.index}"


class Phase(models.TextChoices):
    KEYS = "keys", _("transport keys")
    DEALS = "deals", _("deals")
    COMPLAINTS = "complaints", _("complaints")
    EXTRACTIONS = "extractions", _("extractions")
    DISCLOSURES = "disclosures", _("disclosures")
    COMPLETE = "complete", _("complete")
    FAILED = "failed", _("failed")


class Ceremony(models.Model):
    """The key ceremony's progress and, once complete, its verified public transcript."""

    election = models.OneToOneField(Election, on_delete=models.CASCADE, related_name="ceremony")
    phase = models.CharField(_("phase"), max_length=12, choices=Phase.choices, default=Phase.KEYS)
    qual = models.JSONField(default=list, blank=True)
    transcript = models.JSONField(null=True, blank=True)
    verification_keys = models.JSONField(default=dict, blank=True)  # {"j": hex X_j}
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("key ceremony")
        verbose_name_plural = _("key ceremonies")

    def __str__(self) -> str:
        return f"{self.election.slug}: {self.phase}"


class RelayedMessage(models.Model):
    """A message a trustee sent through the server, after the server checked it."""

    class Kind(models.TextChoices):
        TRANSPORT_KEY = "transport_key", _("transport key")
        DEAL = "deal", _("deal")
        COMPLAINT = "complaint", _("complaints")
        EXTRACTION = "extraction", _("extraction")
        DISCLOSURE = "disclosure", _("disclosures")
        DECRYPTION_SHARES = "decryption_shares", _("decryption shares")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    sender = models.PositiveSmallIntegerField(_("trustee"))
    payload = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        verbose_name = _("relayed message")
        verbose_name_plural = _("relayed messages")
        indexes = [models.Index(fields=["election", "kind"], name="elections_message_kind_idx")]

    def __str__(self) -> str:
        return f"{self.election.slug}: {self.kind} from {self.sender}"


class Tally(models.Model):
    """The encrypted sums of the counted ballots, and the decrypted tally once t trustees
    have posted their decryption shares."""

    election = models.OneToOneField(Election, on_delete=models.CASCADE, related_name="tally")
    sums = models.JSONField()  # protocol.tally.sums_to_json
    counts = models.JSONField()  # {district: ballots counted}
    prepared_at = models.DateTimeField(auto_now_add=True)
    document = models.JSONField(null=True, blank=True)  # tally.json
    results = models.JSONField(null=True, blank=True)  # results.json

    class Meta:
        verbose_name = _("tally")
        verbose_name_plural = _("tallies")

    def __str__(self) -> str:
        return self.election.slug
