"""A new complaint from any channel: its reference and access code, its evidence (checked by
content, stored with its SHA-256), the audit event, and the acknowledgment.

The reference is public (the register names decisions by it); the access code, shown and
sent once, lets the complainant check the case and add evidence; only its hash is kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.complaints import flood, places, replies, roles
from saylau.complaints.errors import ComplaintError, EvidenceRefused
from saylau.complaints.models import Category, Channel, Complaint, Evidence, Status
from saylau.elections.audit import audit
from saylau.elections.models import Election
from saylau.registry import phone as phones
from saylau.web import stored_files, uploads

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
MAX_DESCRIPTION = 10_000
MAX_FILES = 10


@dataclass(frozen=True)
class Contact:
    """The complainant's contacts (personal data: the committee's staff only)."""

    name: str = ""
    phone: str = ""
    email: str = ""
    callback_notes: str = ""


@dataclass(frozen=True)
class NewComplaint:
    category: str
    description: str
    where: places.Where = field(default_factory=places.Where)
    contact: Contact = field(default_factory=Contact)
    anonymous: bool = False
    files: Sequence[bytes] = field(default_factory=tuple)


def _token(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def code_hash(reference: str, code: str) -> str:
    """An HMAC under the site's secret, salted by the reference: a leaked table alone does
    not let anyone try the 8-character codes offline."""
    message = f"saylau.complaints.access\x00{reference}\x00{code.strip().upper()}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def evidence_kind(data: bytes) -> str:
    try:
        return uploads.kind_of(data, uploads.EVIDENCE)
    except uploads.UploadRefused as refused:
        raise EvidenceRefused(str(refused), field="evidence") from None


def add_evidence(complaint: Complaint, data: bytes) -> Evidence:
    """Store one checked file of `complaint` under its SHA-256."""
    kind = evidence_kind(data)
    digest = hashlib.sha256(data).hexdigest()
    item = Evidence(complaint=complaint, sha256=digest, kind=kind, size=len(data))
    stored_files.save(item.file, f"{complaint.pk}/{digest[:24]}.{kind}", data)
    item.save()
    return item


def clean_text(category: str, description: str) -> tuple[str, str]:
    """A complaint's kind and description, checked (the description stripped)."""
    if category not in Category.values:
        raise ComplaintError(_("Choose the kind of violation."), field="category")
    description = description.strip()
    if not description:
        raise ComplaintError(_("Describe what happened."), field="description")
    if len(description) > MAX_DESCRIPTION:
        raise ComplaintError(_("The description is too long."), field="description")
    return category, description


def _clean(new: NewComplaint) -> NewComplaint:
    _category, description = clean_text(new.category, new.description)
    if len(new.files) > MAX_FILES:
        raise EvidenceRefused(_("Attach at most %(n)d files.") % {"n": MAX_FILES}, field="evidence")
    contact = new.contact
    if new.anonymous:
        contact = Contact(callback_notes=contact.callback_notes)
    elif contact.phone:
        try:
            contact = Contact(
                contact.name, phones.normalize(contact.phone), contact.email, contact.callback_notes
            )
        except phones.PhoneError:
            raise ComplaintError(
                _("This is not a Kazakhstan mobile number."), field="phone"
            ) from None
    return NewComplaint(
        new.category, description, new.where, contact, new.anonymous, tuple(new.files)
    )


def _unique(
    election: Election,
    new: NewComplaint,
    channel: str,
    code: str,
    now: dt.datetime,
    source: str,
    status: str = Status.RECEIVED,
) -> Complaint:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                reference = f"SC-{_token(4)}-{_token(4)}"
                return Complaint.objects.create(
                    election=election,
                    reference=reference,
                    access_hash=code_hash(reference, code),
                    channel=channel,
                    status=status,
                    category=new.category,
                    district=new.where.district,
                    station=new.where.station,
                    online=new.where.online,
                    option=new.where.option,
                    description=new.description,
                    anonymous=new.anonymous,
                    contact_name=new.contact.name,
                    contact_phone=new.contact.phone,
                    contact_email=new.contact.email,
                    callback_notes=new.contact.callback_notes,
                    created_at=now,
                    source_key=source,
                )
        except IntegrityError:  # a reference drawn twice: draw again; anything else is a bug
            if not Complaint.objects.filter(reference=reference).exists():
                raise
            continue
    raise RuntimeError("no free complaint reference")


def _checked(election: Election, new: NewComplaint, channel: str) -> NewComplaint:
    """`new` cleaned, its place checked against the election and its files by content."""
    if channel not in Channel.values:
        raise ValueError(f"unknown channel {channel!r}")
    new = _clean(new)
    new = NewComplaint(
        new.category,
        new.description,
        places.check(election, new.where),
        new.contact,
        new.anonymous,
        new.files,
    )
    for data in new.files:
        evidence_kind(data)
    return new


def submit(
    election: Election,
    new: NewComplaint,
    *,
    channel: str,
    actor: str,
    now: dt.datetime | None = None,
    acknowledge: bool = True,
    source: str = "",
) -> tuple[Complaint, str]:
    """Register a complaint; (complaint, access code). Nothing is stored when it raises.
    `source`: the web sender's network key (complaints.flood), capped per hour."""
    new = _checked(election, new, channel)
    code = _token(8)
    now = now or timezone.now()
    flood.check(source, now)
    with transaction.atomic():
        complaint = _unique(election, new, channel, code, now, source)
        hashes = [add_evidence(complaint, data).sha256 for data in new.files]
        audit(
            election,
            actor,
            "complaints.received",
            complaint=complaint.pk,
            reference=complaint.reference,
            channel=channel,
            category=new.category,
            evidence=hashes,
        )
    if acknowledge:
        transaction.on_commit(lambda: replies.acknowledge(complaint, code), robust=True)
    return complaint, code


def open_draft(
    election: Election,
    new: NewComplaint,
    *,
    channel: str,
    user: Any,
    now: dt.datetime | None = None,
) -> tuple[Complaint, str]:
    """A complaint in the draft state (decision 0042): stored with its evidence, seen by
    neither the committee nor the register until `workflow.file_draft` files it. No
    acknowledgment is sent; (complaint, access code)."""
    roles.require(user, roles.FILE_DRAFT)
    new = _checked(election, new, channel)
    code = _token(8)
    with transaction.atomic():
        complaint = _unique(
            election, new, channel, code, now or timezone.now(), "", status=Status.DRAFT
        )
        hashes = [add_evidence(complaint, data).sha256 for data in new.files]
        audit(
            election,
            user.get_username(),
            "complaints.draft_opened",
            complaint=complaint.pk,
            reference=complaint.reference,
            channel=channel,
            category=new.category,
            evidence=hashes,
        )
    return complaint, code


def find(reference: str, code: str) -> Complaint:
    """The complaint of `reference` if `code` is its access code."""
    reference = reference.strip().upper()
    complaint = Complaint.objects.filed().filter(reference=reference).first()
    given = code_hash(reference, code)
    if complaint is None or not secrets.compare_digest(complaint.access_hash, given):
        raise ComplaintError(_("No complaint has this reference and access code."))
    return complaint


def add_more(complaint: Complaint, text: str, files: Sequence[bytes], actor: str) -> Complaint:
    """The complainant's answer to a request for more evidence: back to triage."""
    if complaint.status != Status.MORE_INFO:
        raise ComplaintError(_("The committee has not asked for more evidence on this case."))
    text = text.strip()
    if not text and not files:
        raise ComplaintError(_("Add a text or a file."), field="text")
    for data in files:
        evidence_kind(data)
    with transaction.atomic():
        complaint = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if text:
            complaint.description = f"{complaint.description}\n\n{text}"[: MAX_DESCRIPTION * 2]
        complaint.status = Status.RECEIVED
        complaint.save(update_fields=["description", "status"])
        hashes = [add_evidence(complaint, data).sha256 for data in files]
        audit(
            complaint.election,
            actor,
            "complaints.more_added",
            complaint=complaint.pk,
            reference=complaint.reference,
            evidence=hashes,
        )
    return complaint
