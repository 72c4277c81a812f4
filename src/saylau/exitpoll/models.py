"""An exit poll of one contest of an election, its published sample of stations, its
interviewers and what they enter.

A poll belongs to a polling organisation (its `pollsters` run it); its design (margin,
response rate, quota, seed) and the stations drawn are public with the poll. An entry is
one respondent's answer or one refusal or non-contact, keyed by the UUID the phone made for
it: a retry finds the stored one (decision 0044).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: the option of a respondent who would not say how they voted
REFUSED_TO_SAY = "refused_to_say"


class Poll(models.Model):
    """A registered exit poll: who runs it, how (the published method), of which contest."""

    election = models.ForeignKey("elections.Election", on_delete=models.PROTECT, related_name="+")
    contest = models.CharField(_("contest"), max_length=64)
    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(_("name of the poll"), max_length=200)
    organisation = models.CharField(_("polling organisation"), max_length=200)
    method = models.TextField(_("method statement"))
    pollsters = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    # the design, set by the sample design page (public with the poll)
    margin = models.FloatField(null=True, blank=True)
    response_rate = models.FloatField(null=True, blank=True)
    quota = models.PositiveIntegerField(null=True, blank=True)
    turnout = models.FloatField(null=True, blank=True)
    seed = models.CharField(max_length=200, blank=True, default="")
    design = models.JSONField(null=True, blank=True)  # strata sizes, sample, expected margin
    designed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("exit poll")
        verbose_name_plural = _("exit polls")
        permissions = [("run_poll", _("Can register and run exit polls"))]

    def __str__(self) -> str:
        return self.slug


class SampledStation(models.Model):
    """A station the draw picked, with its interview plan (approach every k-th voter)."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="sampled")
    station = models.ForeignKey("stations.Station", on_delete=models.PROTECT, related_name="+")
    stratum = models.CharField(max_length=64)
    quota = models.PositiveIntegerField()
    approaches = models.PositiveIntegerField()
    every = models.PositiveIntegerField()

    class Meta:
        ordering = ["poll", "stratum", "station__number"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "station"], name="exitpoll_sampled_station")
        ]


class Interviewer(models.Model):
    """A person who interviews for a poll; `user` is the account they sign in with. The
    phone is for the pollster only, never shown on a public page or in an export."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="interviewers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    full_name = models.CharField(_("full name"), max_length=200)
    phone = models.CharField(_("phone"), max_length=16, blank=True, default="")
    stations = models.ManyToManyField(SampledStation, blank=True, related_name="interviewers")

    class Meta:
        ordering = ["poll", "full_name"]
        verbose_name = _("interviewer")
        verbose_name_plural = _("interviewers")
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="exitpoll_interviewer_user")
        ]


class Entry(models.Model):
    """One thing an interviewer entered, keyed by the UUID their phone made for it.

    A refused one (not assigned to the station) is kept with its reason for the pollster;
    `digest` is the SHA-256 of what was sent, to tell a retry from a reuse."""

    class Kind(models.TextChoices):
        ANSWER = "answer", _("respondent")
        REFUSAL = "refusal", _("refused the interview")
        NON_CONTACT = "non_contact", _("not reached")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")

    client_uuid = models.UUIDField(unique=True)
    poll = models.ForeignKey(Poll, on_delete=models.PROTECT, related_name="entries")
    interviewer = models.ForeignKey(Interviewer, on_delete=models.PROTECT, related_name="+")
    station_code = models.CharField(max_length=64)
    sampled = models.ForeignKey(
        SampledStation, null=True, blank=True, on_delete=models.PROTECT, related_name="entries"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    option = models.CharField(max_length=64, blank=True, default="")
    digest = models.CharField(max_length=64)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    refusal_code = models.CharField(max_length=64, blank=True, default="")
    refusal = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("exit poll entry")
        verbose_name_plural = _("exit poll entries")
        indexes = [
            models.Index(fields=["poll", "status", "sampled"], name="exitpoll_entry_poll"),
        ]


class PollsterApplication(models.Model):
    """A polling organisation's request for the pollster role for its account (decision
    0047): staff approve it (the account joins the pollster group) or refuse it with a reason
    the applicant reads. The sender's network is kept only as an HMAC (web.flood)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for a decision")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    organisation = models.CharField(_("polling organisation"), max_length=200)
    email = models.EmailField(_("contact e-mail"))
    method = models.TextField(_("method statement"))
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(blank=True, default="")
    source_key = models.CharField(max_length=64, blank=True, default="")
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(status="pending"),
                name="exitpoll_one_pending_application",
            )
        ]
        indexes = [models.Index(fields=["source_key", "created_at"])]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.status})"
