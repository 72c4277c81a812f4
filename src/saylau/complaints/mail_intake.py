"""Mail to the hotline address becomes a complaint (channel "e-mail"), its attachments the
evidence. The message is stored whole before it is read, so nothing is dropped: one that
cannot be read cleanly (MIME defects, no sender, no text, a refused attachment) is flagged
for an operator (`InboundMail.problem` names why). The acknowledgment goes back by e-mail.
A reply to the committee's request for more evidence (the case's reference in the subject,
from the complainant's address) is added to that case instead.
"""

from __future__ import annotations

import email
import email.policy
import hashlib
import logging
import re
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import parseaddr

from django.db import transaction
from django.utils.html import strip_tags

from saylau.complaints import intake
from saylau.complaints.errors import EvidenceRefused
from saylau.complaints.models import Complaint, InboundMail, Status
from saylau.elections.audit import audit
from saylau.elections.models import Election
from saylau.errors import UserError
from saylau.web import stored_files

logger = logging.getLogger(__name__)
_SLUG = re.compile(r"\[([a-z0-9][a-z0-9-]{0,63})\]")
_REFERENCE = re.compile(r"\bSC-[2-9A-Z]{4}-[2-9A-Z]{4}\b")


@dataclass
class Reading:
    """What could be read of a message: its text, sender, files and the first problem."""

    text: str = ""
    name: str = ""
    address: str = ""
    subject: str = ""
    files: list[bytes] = field(default_factory=list)
    problem: str = ""


def _flag(reading: Reading, problem: str) -> None:
    reading.problem = reading.problem or problem


def _defective(message: EmailMessage) -> bool:
    return any(part.defects for part in message.walk())


def read(raw: bytes) -> Reading:
    reading = Reading()
    try:
        message = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception:  # the parser is lenient; anything it still rejects is flagged
        reading.problem = "unparseable"
        return reading
    if not isinstance(message, EmailMessage) or _defective(message):
        _flag(reading, "malformed")
    reading.name, reading.address = parseaddr(str(message.get("From", "")))
    if "@" not in reading.address:
        _flag(reading, "no_sender")
        reading.address = ""
    reading.subject = str(message.get("Subject", "")).strip()
    try:
        body = message.get_body(preferencelist=("plain", "html"))
        text = body.get_content() if body is not None else ""
        if body is not None and body.get_content_type() == "text/html":
            text = strip_tags(text)
        reading.text = str(text).strip()
        for part in message.iter_attachments():
            data = part.get_payload(decode=True)
            if isinstance(data, bytes) and data:
                reading.files.append(data)
    except Exception:  # a part that cannot be decoded: keep what was read, flag the rest
        _flag(reading, "undecodable")
    if not reading.text:
        _flag(reading, "no_text")
    return reading


def _election(subject: str) -> Election | None:
    match = _SLUG.search(subject)
    if match:
        found = Election.objects.filter(slug=match.group(1)).first()
        if found is not None:
            return found
    return Election.objects.order_by("-created_at").first()


def _store(raw: bytes) -> InboundMail:
    digest = hashlib.sha256(raw).hexdigest()
    mail = InboundMail(sha256=digest, state=InboundMail.State.FLAGGED, problem="unprocessed")
    stored_files.save(mail.raw, f"{digest[:24]}.eml", raw)
    mail.save()
    return mail


def _answered(reading: Reading) -> Complaint | None:
    """The case this message answers: its reference in the subject, more evidence asked
    for, and the sender the complainant's address."""
    match = _REFERENCE.search(reading.subject.upper())
    if match is None or not reading.address:
        return None
    return Complaint.objects.filter(
        reference=match.group(0),
        status=Status.MORE_INFO,
        contact_email__iexact=reading.address,
    ).first()


def _evidence(reading: Reading) -> list[bytes]:
    files = []
    for data in reading.files:
        try:
            intake.evidence_kind(data)
            files.append(data)
        except EvidenceRefused:
            _flag(reading, "attachment_refused")
    return files


def _complaint(mail: InboundMail, reading: Reading, election: Election) -> None:
    files = _evidence(reading)
    answered = _answered(reading)
    if answered is not None:
        mail.complaint = intake.add_more(answered, reading.text, files, "smtp")
        return
    text = "\n\n".join(p for p in (reading.subject, reading.text) if p)
    new = intake.NewComplaint(
        category="other",
        description=text,
        contact=intake.Contact(name=reading.name, email=reading.address),
        files=files,
    )
    complaint, _code = intake.submit(election, new, channel="email", actor="smtp")
    mail.complaint = complaint


def receive(raw: bytes) -> InboundMail:
    """Store `raw`, then turn it into a complaint if it reads cleanly enough."""
    mail = _store(raw)
    reading = read(raw)
    election = _election(reading.subject)
    if election is None:
        _flag(reading, "no_election")
    if reading.text and reading.address and election is not None:
        try:
            with transaction.atomic():
                _complaint(mail, reading, election)
        except UserError as error:
            _flag(reading, error.code)
    mail.problem = reading.problem
    accepted = mail.complaint is not None and not reading.problem
    mail.state = InboundMail.State.ACCEPTED if accepted else InboundMail.State.FLAGGED
    mail.save(update_fields=["problem", "state", "complaint"])
    audit(
        election,
        "smtp",
        "complaints.mail_received",
        mail=mail.pk,
        sha256=mail.sha256,
        problem=mail.problem,
        complaint=mail.complaint_id,
    )
    return mail
