"""The DEMO smoke test's voter: sign in with the code from the outbox, cast over HTTP."""

from __future__ import annotations

import json
import time
from typing import TYPE_CHECKING, Any

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


def statistics_problems(url: str, lang: str, slug: str) -> list[str]:
    """What is wrong with the pages that need many stations, once the demo is published:
    the analysis report's station tests not skipped, the PVT's estimate and the discrepancy
    list (signed in as demo-hq), the exit poll's estimates and WPE; [] when all is well."""
    import logging
    import re

    import httpx

    from saylau.demo import exit_poll, observers
    from saylau.elections.services import get_election

    logging.getLogger("httpx").setLevel(logging.WARNING)  # not a line per page asked
    election = get_election(slug)
    problems: list[str] = []
    with httpx.Client(base_url=url, timeout=120.0) as http:
        report = http.get(f"/{lang}/analysis/{slug}/report.json")
        page = http.get(f"/{lang}/analysis/{slug}/")
        if report.status_code != 200 or page.status_code != 200:
            problems.append(
                _("analysis: the page answered %(page)s, report.json %(json)s")
                % {"page": page.status_code, "json": report.status_code}
            )
        elif report.json().get("skipped_contests") or not report.json().get("contests"):
            problems.append(
                _("analysis: station tests skipped: %(contests)s")
                % {"contests": report.json().get("skipped_contests")}
            )
        poll = exit_poll.the_poll(election)
        found = http.get(f"/{lang}/exitpoll/{poll.slug}/") if poll else None
        if found is None or found.status_code != 200 or 'id="wpe"' not in found.text:
            problems.append(_("exit poll: no estimate with its within-precinct error"))
        login = http.get(f"/{lang}/observe/login/")
        jar = _cookies(login, {})
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)
        form = {"username": "demo-hq", "password": "demo-hq-pass"}
        signed_in = http.post(
            f"/{lang}/observe/login/",
            data={**form, "csrfmiddlewaretoken": token.group(1) if token else ""},
            headers={"Referer": f"{url}/{lang}/observe/login/", "Cookie": _header(jar)},
        )
        cookie = {"Cookie": _header(_cookies(signed_in, jar))}
        pvt = http.get(
            f"/{lang}/hq/{slug}/pvt/",
            params={"seed": observers.SEED, "margin": str(observers.MARGIN)},
            headers=cookie,
        )
        if pvt.status_code != 200 or "estimate-title" not in pvt.text or pvt.text.count("%") < 10:
            problems.append(
                _("PVT: answered %(status)s, no estimate against the official result")
                % {"status": pvt.status_code}
            )
        listed = http.get(f"/{lang}/hq/{slug}/discrepancies/", headers=cookie)
        if listed.status_code != 200 or observers.altered_station(election) not in listed.text:
            problems.append(
                _("discrepancies: answered %(status)s, the PLANTED discrepancy not listed")
                % {"status": listed.status_code}
            )
    return problems


def _cookies(response: Any, jar: dict[str, str]) -> dict[str, str]:
    """The jar with the response's cookies, Secure ones too (the demo site is plain HTTP on
    loopback, where a client's own jar would keep those back)."""
    found = dict(jar)
    for line in response.headers.get_list("set-cookie"):
        name, _sep, value = line.split(";", 1)[0].partition("=")
        found[name.strip()] = value.strip()
    return found


def _header(jar: dict[str, str]) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())
