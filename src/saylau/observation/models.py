"""Organisations, their charter signatures and headquarters, observers, accreditations, what
observers send on election day, and the records of recruitment and training.

An accreditation ties an observer to a station as its organisation's primary or reserve for a
time window. The database holds the rule "at most one active primary per organisation per
station" (a partial unique index, decision 0038), so two coordinators assigning at once cannot
both win. A submission is keyed by the client's UUID: a retry finds the stored one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from saylau.paper.models import scan_storage
from saylau.registry.models import IINField


class Organisation(models.Model):
    """A civic organisation or party that fields observers."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(max_length=64, unique=True)
    website = models.URLField(_("website"), blank=True, default="")

    class Meta:
        ordering = ["name"]
        verbose_name = _("observer organisation")
        verbose_name_plural = _("observer organisations")
        permissions = [
            ("coordinate", _("Can coordinate observers")),
            ("headquarters", _("Can see every organisation's observers (HQ)")),
        ]

    def __str__(self) -> str:
        return self.name


class CharterSignature(models.Model):
    """An organisation's signature of the observation charter (listed publicly)."""

    organisation = models.OneToOneField(
        Organisation, on_delete=models.CASCADE, related_name="signature"
    )
    charter_version = models.CharField(max_length=16)
    signatory = models.CharField(_("signed by"), max_length=200)
    signatory_title = models.CharField(_("position"), max_length=200, blank=True, default="")
    signed_at = models.DateTimeField()

    class Meta:
        ordering = ["signed_at"]
        verbose_name = _("charter signature")
        verbose_name_plural = _("charter signatures")


class Headquarters(models.Model):
    """An organisation's regional headquarters (`region`: the district code of the manifest)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="hqs")
    region = models.CharField(_("region"), max_length=64)
    name = models.CharField(_("name"), max_length=200)
    coordinators = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="+")

    class Meta:
        ordering = ["organisation", "region"]
        verbose_name = _("headquarters")
        verbose_name_plural = _("headquarters")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "region"], name="observation_hq_region")
        ]


class Observer(models.Model):
    """A person who observes for an organisation; `user` is the account they sign in with."""

    class Status(models.TextChoices):
        APPLIED = "applied", _("applied")
        SCREENED = "screened", _("screened")
        TRAINED = "trained", _("trained")
        CERTIFIED = "certified", _("certified")
        REJECTED = "rejected", _("rejected")

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="observers"
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="observer",
    )
    full_name = models.CharField(_("full name"), max_length=200)
    iin = IINField(_("IIN"))
    phone = models.CharField(_("phone"), max_length=16, blank=True, default="")
    region = models.CharField(_("region"), max_length=64)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.APPLIED)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "full_name"]
        verbose_name = _("observer")
        verbose_name_plural = _("observers")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "iin"], name="observation_observer_iin")
        ]

    def __str__(self) -> str:
        return self.full_name


class Accreditation(models.Model):
    """Observer at station, as primary or reserve, from `starts_at` to `ends_at`."""

    class Role(models.TextChoices):
        PRIMARY = "primary", _("primary")
        RESERVE = "reserve", _("reserve")

    class Status(models.TextChoices):
        ACTIVE = "active", _("active")
        WITHDRAWN = "withdrawn", _("withdrawn")
        REPLACED = "replaced", _("replaced by a reserve")

    observer = models.ForeignKey(Observer, on_delete=models.PROTECT, related_name="accreditations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    station = models.ForeignKey("stations.Station", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=8, choices=Role.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    starts_at = models.DateTimeField(_("from"))
    ends_at = models.DateTimeField(_("until"))
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_out_at = models.DateTimeField(null=True, blank=True)
    promoted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["station", "organisation", "role", "created_at"]
        verbose_name = _("accreditation")
        verbose_name_plural = _("accreditations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "station"],
                condition=Q(role="primary", status="active"),
                name="observation_one_active_primary",
            ),
            models.UniqueConstraint(
                fields=["observer", "station"],
                condition=Q(status="active"),
                name="observation_one_active_per_observer",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="observation_window"
            ),
        ]
        indexes = [models.Index(fields=["station", "status"], name="observation_acc_station")]


class Checklist(models.Model):
    """The questions of one phase of election day; `items` = [{"id", "kk", "ru", "en"}]."""

    class Phase(models.TextChoices):
        OPENING = "opening", _("opening")
        VOTING = "voting", _("voting")
        COUNTING = "counting", _("counting")

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    phase = models.CharField(_("phase"), max_length=10, choices=Phase.choices)
    items = models.JSONField(default=list)

    class Meta:
        ordering = ["election", "phase"]
        verbose_name = _("checklist")
        verbose_name_plural = _("checklists")
        constraints = [
            models.UniqueConstraint(
                fields=["election", "phase"], name="observation_checklist_phase"
            )
        ]


class Submission(models.Model):
    """One thing an observer sent, keyed by the UUID their device made for it.

    A refused one (not accredited to the station) is kept with its reason for the
    coordinator; `digest` is the SHA-256 of what was sent, to tell a retry from a reuse."""

    class Kind(models.TextChoices):
        CHECK_IN = "check_in", _("check-in")
        CHECK_OUT = "check_out", _("check-out")
        CHECKLIST = "checklist", _("checklist")
        INCIDENT = "incident", _("incident")
        PROTOCOL_COPY = "protocol_copy", _("protocol copy")

    class Status(models.TextChoices):
        ACCEPTED = "accepted", _("accepted")
        REFUSED = "refused", _("refused")

    client_uuid = models.UUIDField(unique=True)
    observer = models.ForeignKey(Observer, on_delete=models.PROTECT, related_name="submissions")
    station_code = models.CharField(max_length=64)
    station = models.ForeignKey(
        "stations.Station", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    payload = models.JSONField(default=dict)
    digest = models.CharField(max_length=64)
    occurred_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices)
    refusal_code = models.CharField(max_length=64, blank=True, default="")
    refusal = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("observer submission")
        verbose_name_plural = _("observer submissions")
        indexes = [
            models.Index(fields=["station", "kind"], name="observation_sub_station"),
            models.Index(fields=["status", "received_at"], name="observation_sub_status"),
        ]


class Media(models.Model):
    """A photo or video attached to a submission, checked by content, with its hash."""

    submission = models.ForeignKey(Submission, on_delete=models.PROTECT, related_name="media")
    sha256 = models.CharField(max_length=64)
    kind = models.CharField(max_length=8)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to="observation/", storage=scan_storage)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submission", "uploaded_at"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "sha256"], name="observation_media_hash")
        ]


class PhoneCheck(models.Model):
    """The SMS code that proves an applicant holds their phone (only its HMAC is kept)."""

    observer = models.OneToOneField(Observer, on_delete=models.CASCADE, related_name="phone_check")
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    availability = models.JSONField(default=list)  # phases the applicant can observe


class TrainingModule(models.Model):
    """An online module: `questions` = [{"id", "text": {lang: …}, "choices": [{lang: …}],
    "answer": index}]; passed with at least `pass_mark` correct answers."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    title = models.JSONField()  # {lang: title}
    questions = models.JSONField(default=list)
    pass_mark = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["organisation", "pk"]
        verbose_name = _("training module")
        verbose_name_plural = _("training modules")


class QuizAttempt(models.Model):
    observer = models.ForeignKey(Observer, on_delete=models.CASCADE, related_name="attempts")
    module = models.ForeignKey(TrainingModule, on_delete=models.CASCADE, related_name="+")
    correct = models.PositiveSmallIntegerField()
    passed = models.BooleanField()
    at = models.DateTimeField(auto_now_add=True)


class TrainingSession(models.Model):
    """An offline session of a headquarters; attendance is marked by its coordinator."""

    hq = models.ForeignKey(Headquarters, on_delete=models.CASCADE, related_name="sessions")
    starts_at = models.DateTimeField()
    place = models.CharField(_("place"), max_length=200)
    attendees = models.ManyToManyField(Observer, blank=True, related_name="sessions")

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")


class CodeSent(models.Model):
    """One SMS code sent to an applicant (at the application or a resend): the applicant's
    cooldown and daily cap and the network's hourly cap count these rows. `network_key` is
    an HMAC of the sender's network (web.flood), never the address. A lost-link request
    whose IIN and phone match no application is a row with no observer (decision 0046)."""

    observer = models.ForeignKey(
        Observer, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    network_key = models.CharField(max_length=64, blank=True, default="")
    sent_at = models.DateTimeField()

    class Meta:
        indexes = [
            models.Index(fields=["observer", "sent_at"], name="observation_code_observer"),
            models.Index(fields=["network_key", "sent_at"], name="observation_code_network"),
        ]


class PersonalLink(models.Model):
    """An applicant's way back to their training: a random token given once after the
    phone is confirmed, kept only as its SHA-256 (decision 0041)."""

    observer = models.OneToOneField(Observer, on_delete=models.CASCADE, related_name="link")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()


class OfficialUpload(models.Model):
    """A commission's CSV of one contest's per-station results and its column map (YAML), as
    uploaded by the HQ; the latest one not withdrawn is the contest's official result
    (observation.official). A malformed file is refused, never stored."""

    election = models.ForeignKey("elections.Election", on_delete=models.CASCADE, related_name="+")
    contest = models.CharField(max_length=64)
    file = models.FileField(upload_to="observation/official/", storage=scan_storage)
    sha256 = models.CharField(max_length=64)
    column_map = models.TextField()  # the MAP.yaml as uploaded
    stations = models.PositiveIntegerField()  # rows read
    # the lines read at the upload, {station: {"counts": {line: n}, "options": {id: n}}}
    parsed = models.JSONField(null=True, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["election", "contest", "-uploaded_at", "-pk"]
        verbose_name = _("official results upload")
        verbose_name_plural = _("official results uploads")


class DiscrepancyDraft(models.Model):
    """The complaint draft opened for one station's discrepancy: one per station, contest and
    set of differing lines (`lines`, sorted and joined; `lines_sha256` its hash, unique with
    the station and contest), so a second click finds it."""

    station = models.ForeignKey("stations.Station", on_delete=models.PROTECT, related_name="+")
    contest = models.CharField(max_length=64)
    lines = models.TextField()
    lines_sha256 = models.CharField(max_length=64)
    complaint = models.OneToOneField(
        "complaints.Complaint", on_delete=models.PROTECT, related_name="+"
    )
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    opened_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["station", "contest", "lines_sha256"], name="observation_draft_once"
            )
        ]
