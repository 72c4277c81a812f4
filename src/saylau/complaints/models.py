"""Complaints, their evidence, the committee's decisions and sanctions, mail the SMTP intake
could not read, and each election's committee rules.

A complaint's contacts (name, phone, e-mail, callback notes) are personal data: they are
shown to the committee's staff only, never logged, audited, registered or exported.
Other apps and the views use `saylau.complaints.services`, not these tables directly.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from saylau.paper.models import scan_storage
from saylau.protocol import sanctions as shape


class Category(models.TextChoices):
    COERCION = "coercion", _("Coercion to join the party or to vote")
    VOTE_BUYING = "vote_buying", _("Vote buying")
    MULTIPLE_VOTING = "multiple_voting", _("Multiple voting")
    FAKE_ACCOUNTS = "fake_accounts", _("Fake accounts or inflated votes")
    CANDIDATE_MISCONDUCT = "candidate_misconduct", _("Candidate misconduct")
    TECHNICAL = "technical", _("Technical failure")
    STATION_PROCEDURE = "station_procedure", _("Station procedure violation")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    WEB = "web", _("web form")
    HOTLINE = "hotline", _("hotline")
    EMAIL = "email", _("e-mail")
    OBSERVER = "observer", _("observers' headquarters")


class Status(models.TextChoices):
    DRAFT = "draft", _("draft (not filed yet)")
    RECEIVED = "received", _("received")
    MORE_INFO = "more_info", _("more evidence asked for")
    MERGED = "merged", _("merged into another complaint")
    UNDER_REVIEW = "under_review", _("under review")
    DECIDED = "decided", _("decided")
    APPEALED = "appealed", _("under appeal")
    FINAL = "final", _("final")


class ComplaintQuerySet(models.QuerySet["Complaint"]):
    def filed(self) -> ComplaintQuerySet:
        """Every complaint but the drafts: what the committee and the register see."""
        return self.exclude(status=Status.DRAFT)


class Complaint(models.Model):
    """A complaint; a draft (opened by the observers' HQ, decision 0042) is seen by the
    committee only once it is filed (`workflow.file_draft`)."""

    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="+")
    reference = models.CharField(max_length=16, unique=True)
    access_hash = models.CharField(max_length=64)  # SHA-256 of the complainant's access code
    channel = models.CharField(max_length=8, choices=Channel.choices)
    category = models.CharField(max_length=24, choices=Category.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.RECEIVED)
    district = models.CharField(max_length=64, blank=True, default="")
    station = models.CharField(max_length=64, blank=True, default="")
    online = models.BooleanField(default=False)
    option = models.CharField(max_length=64, blank=True, default="")  # the candidate concerned
    description = models.TextField()
    anonymous = models.BooleanField(default=False)
    contact_name = models.CharField(max_length=200, blank=True, default="")
    contact_phone = models.CharField(max_length=16, blank=True, default="")
    contact_email = models.EmailField(blank=True, default="")
    callback_notes = models.TextField(blank=True, default="")
    more_info_asked = models.TextField(blank=True, default="")
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    deadline = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    # HMAC of the web form sender's network (complaints.flood), never the address itself.
    source_key = models.CharField(max_length=64, blank=True, default="", db_index=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")
        permissions = [
            ("log_call", _("Can log a hotline call as a complaint")),
            ("triage_complaint", _("Can ask for more evidence or merge duplicates")),
            ("assign_complaint", _("Can put a complaint under review (member and deadline)")),
            ("decide_complaint", _("Can decide a complaint under review")),
            ("impose_sanction", _("Can impose a sanction with a decision")),
            ("log_appeal", _("Can log an appeal against a decision")),
            ("decide_appeal", _("Can decide an appeal and make decisions final")),
            ("handle_mail", _("Can handle e-mail the intake could not read")),
            ("file_draft", _("Can open and file a complaint draft (observers' HQ)")),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def has_contact(self) -> bool:
        return bool(self.contact_phone or self.contact_email)


class Evidence(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="evidence")
    file = models.FileField(upload_to="complaints/evidence/", storage=scan_storage)
    sha256 = models.CharField(max_length=64)
    kind = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class Decision(models.Model):
    """The committee's decision on one complaint; `number` orders the public register."""

    class Appeal(models.TextChoices):
        NONE = "", _("no appeal")
        PENDING = "pending", _("appeal pending")
        UPHELD = "upheld", _("decision upheld on appeal")
        OVERTURNED = "overturned", _("decision overturned on appeal")

    complaint = models.OneToOneField(Complaint, on_delete=models.PROTECT, related_name="decision")
    number = models.PositiveIntegerField(unique=True)
    reference = models.CharField(max_length=16, unique=True)  # "PCC-2026-0042"
    substantiated = models.BooleanField()
    reasoning = models.TextField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField()
    appeal_until = models.DateTimeField()
    appeal = models.CharField(max_length=12, choices=Appeal.choices, blank=True, default="")
    appeal_grounds = models.TextField(blank=True, default="")
    appeal_reasoning = models.TextField(blank=True, default="")
    final_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["number"]

    def __str__(self) -> str:
        return self.reference


class ImposedSanction(models.Model):
    """A sanction of a decision. `member_id` (an exclusion's member) stays private: the
    published sanction names only the decision."""

    KINDS = [(kind, kind) for kind in shape.KINDS]

    decision = models.ForeignKey(Decision, on_delete=models.PROTECT, related_name="sanctions")
    kind = models.CharField(max_length=24, choices=KINDS)
    district = models.CharField(max_length=64, blank=True, default="")
    contest = models.CharField(max_length=64, blank=True, default="")
    option = models.CharField(max_length=64, blank=True, default="")
    station = models.CharField(max_length=64, blank=True, default="")
    member_id = models.BigIntegerField(null=True, blank=True)
    withdrawn = models.BooleanField(default=False)  # the decision was overturned on appeal

    class Meta:
        ordering = ["id"]


class InboundMail(models.Model):
    """A message the SMTP intake received, kept whole; `problem` names why an operator must
    look at it ("" when it became a complaint cleanly)."""

    class State(models.TextChoices):
        ACCEPTED = "accepted", _("made a complaint")
        FLAGGED = "flagged", _("needs an operator")
        HANDLED = "handled", _("handled by an operator")

    received_at = models.DateTimeField(auto_now_add=True)
    raw = models.FileField(upload_to="complaints/mail/", storage=scan_storage)
    sha256 = models.CharField(max_length=64)
    state = models.CharField(max_length=12, choices=State.choices)
    problem = models.CharField(max_length=32, blank=True, default="")
    complaint = models.ForeignKey(
        Complaint, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-id"]


class CommitteeRules(models.Model):
    """An election's committee settings: the rule for a deregistered candidate's votes, the
    appeal window and the review time a case gets by default."""

    VOTE_RULES = [(rule, rule) for rule in shape.VOTE_RULES]

    election = models.OneToOneField(
        "elections.Election", on_delete=models.CASCADE, related_name="+"
    )
    deregistered_votes = models.CharField(
        _("a deregistered candidate's votes"),
        max_length=12,
        choices=VOTE_RULES,
        default=shape.SET_ASIDE,
    )
    appeal_days = models.PositiveSmallIntegerField(_("appeal window (days)"), default=3)
    review_days = models.PositiveSmallIntegerField(_("review time (days)"), default=5)

    class Meta:
        verbose_name = _("committee rules")
        verbose_name_plural = _("committee rules")
