"""The DEMO smoke test's voter: sign in with the code from the outbox, cast over HTTP."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING

from saylau.demo.server import latest_sms_id
from saylau.i18n import _

if TYPE_CHECKING:
    from saylau.demo.setup import DemoElection


def wait_for_code(phone: str, after: int, seconds: float = 15.0) -> str:
    """The 6-digit code of the first SMS to `phone` newer than message `after`."""
    import re

    from django.db import connection

    from saylau.notify.models import OutboxMessage
    from saylau.registry import phone as phone_rules

    number = phone_rules.normalize(phone)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        message = OutboxMessage.objects.filter(id__gt=after, to=number).order_by("id").first()
        connection.close()
        if message is not None:
            match = re.search(r"(?<!\d)(\d{6})(?!\d)", message.body)
            if match:
                return match.group(1)
        time.sleep(0.2)
    raise RuntimeError(_("no sign-in code arrived in the outbox"))


def cast_one(url: str, info: DemoElection) -> tuple[int, str]:
    """Sign in a demo voter and cast their ballot through HTTP with the Python client;
    returns (voter number, tracking code). The receipt is checked by the client."""
    from saylau.client.voting import ClientError, VotingClient

    problem: ClientError | None = None
    for voter in info.voters:
        with VotingClient(url, info.slug, language="en") as client:
            try:
                before = latest_sms_id()
                client.sign_in(voter.iin, voter.phone)
                client.verify(wait_for_code(voter.phone, before))
                selections = json.loads(voter.choices.read_text(encoding="utf-8"))
                cast = client.vote(voter.credential, selections)
            except ClientError as error:
                if error.status != 429:  # a code was asked for this IIN a moment ago
                    raise
                problem = error
                continue
            return voter.number, cast.receipt.tracking_code
    raise RuntimeError(_("no demo voter could sign in: %(problem)s") % {"problem": problem})
