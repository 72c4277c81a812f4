"""The SMTP intake through a real socket on 127.0.0.1: a message with an attachment becomes a
complaint with evidence and gets an e-mail reply; a malformed one is stored and flagged; mail
to another address is refused."""

from __future__ import annotations

import hashlib
import logging
import smtplib
import socket
from email.message import EmailMessage

import pytest

from saylau.complaints import mailbox, smtp
from saylau.complaints.models import Complaint, InboundMail
from saylau.elections.models import AuditEvent
from tests.complaints.world import PASSWORD, build_committee_world, png_bytes

HOTLINE = "hotline@saylau.test"
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def listener(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.SAYLAU_HOTLINE_ADDRESS = HOTLINE
    world = build_committee_world()
    running = smtp.controller("127.0.0.1", free_port())
    running.start()
    yield world, running
    running.stop()


def send(running, raw: bytes | EmailMessage, to: str = HOTLINE) -> None:
    with smtplib.SMTP(running.hostname, running.port, timeout=10) as client:
        if isinstance(raw, EmailMessage):
            client.send_message(raw, from_addr="asel@example.kz", to_addrs=[to])
        else:
            client.sendmail("asel@example.kz", [to], raw)


def test_mail_with_an_attachment_becomes_a_complaint(listener, mailoutbox, caplog):
    _world, running = listener
    caplog.set_level(logging.DEBUG)
    message = EmailMessage()
    message["From"] = "Asel Nurova <asel@example.kz>"
    message["To"] = HOTLINE
    message["Subject"] = "Vote buying at station S-75"
    message.set_content("They paid 5000 tenge for a photo of the ballot.")
    picture = png_bytes()
    message.add_attachment(picture, maintype="image", subtype="png", filename="proof.png")
    send(running, message)
    mail = InboundMail.objects.get()
    assert (mail.state, mail.problem) == ("accepted", "")
    complaint = Complaint.objects.get()
    assert complaint.channel == "email" and complaint.contact_email == "asel@example.kz"
    assert "5000 tenge" in complaint.description
    assert complaint.evidence.get().sha256 == hashlib.sha256(picture).hexdigest()
    assert [m.to for m in mailoutbox] == [["asel@example.kz"]]
    assert complaint.reference in mailoutbox[0].body
    assert "asel" not in caplog.text.lower()  # no address in any log line
    event = AuditEvent.objects.get(action="complaints.mail_received")
    assert "asel" not in str(event.details) and event.details["complaint"] == complaint.pk


def test_a_malformed_message_is_stored_and_flagged(listener):
    world, running = listener
    raw = (
        b"From: asel@example.kz\r\nTo: " + HOTLINE.encode() + b"\r\nSubject: help\r\n"
        b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed\r\n\r\n"
        b"no boundary, no parts\r\n"
    )
    send(running, raw)
    mail = InboundMail.objects.get()
    assert mail.state == "flagged" and mail.problem == "malformed"
    stored = mail.raw.read()
    assert b"no boundary, no parts" in stored  # kept whole, never dropped
    assert mail.sha256 == hashlib.sha256(stored).hexdigest()
    assert mail.complaint is None and not Complaint.objects.exists()
    # an operator sees it and handles it
    assert mailbox.flagged() == [mail]
    mailbox.mark_handled(mail.pk, world.users["op"])
    assert mailbox.flagged() == []


def test_a_refused_attachment_keeps_the_complaint_and_flags_the_mail(listener):
    _world, running = listener
    message = EmailMessage()
    message["From"] = "asel@example.kz"
    message["Subject"] = "Coercion"
    message.set_content("Our boss made us join.")
    message.add_attachment(
        b"MZ\x90\x00 not evidence", maintype="application", subtype="octet-stream"
    )
    send(running, message)
    mail = InboundMail.objects.get()
    assert (mail.state, mail.problem) == ("flagged", "attachment_refused")
    assert mail.complaint is not None and mail.complaint.evidence.count() == 0


def test_mail_to_another_address_is_refused(listener):
    _world, running = listener
    with pytest.raises(smtplib.SMTPRecipientsRefused):
        send(running, b"Subject: x\r\n\r\nhello\r\n", to="someone@example.kz")
    assert InboundMail.objects.count() == 0


def test_the_operator_page_lists_flagged_mail(listener, client):
    _world, running = listener
    send(running, b"Subject: empty\r\nFrom: nobody\r\n\r\n")
    assert client.login(username="op", password=PASSWORD)
    from django.urls import reverse

    page = client.get(reverse("committee:mail")).content.decode()
    mail = InboundMail.objects.get()
    assert mail.problem in page
    assert client.get(reverse("committee:mail") + f"?raw={mail.pk}").status_code == 200


def test_a_reply_with_more_evidence_joins_its_case(listener):
    from saylau.complaints import intake, workflow

    world, running = listener
    complaint = world.complaint(contact=intake.Contact(email="asel@example.kz"))
    workflow.ask_for_more(complaint, world.users["op"], "The photo, please.")
    message = EmailMessage()
    message["From"] = "asel@example.kz"
    message["Subject"] = f"Re: Complaint {complaint.reference}"
    message.set_content("Here is the photo.")
    message.add_attachment(png_bytes(), maintype="image", subtype="png", filename="p.png")
    send(running, message)
    assert Complaint.objects.count() == 1  # no new complaint
    complaint.refresh_from_db()
    assert complaint.status == "received" and complaint.evidence.count() == 1
    assert "Here is the photo." in complaint.description
    assert InboundMail.objects.get().complaint == complaint
