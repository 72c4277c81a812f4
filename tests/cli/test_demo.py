"""`saylau demo`, as `make demo` and `make demo-check` run it, against a live server: setup
(members, roll, election, demo ceremony and CA, voting open), the printed instructions, a
sign-in and a ballot over HTTP with the Python client, the printed `saylau vote cast` command
run as printed, the outbox, then `saylau demo finish` and the universal verifier."""

from __future__ import annotations

import re
import shlex

import httpx
import pytest
from typer.testing import CliRunner

from saylau.cli.main import app
from saylau.demo import check as demo_check
from saylau.demo import setup as demo_setup
from saylau.elections.models import AuditEvent, Election
from saylau.notify.models import OutboxMessage
from saylau.registry import phone as phone_rules
from tests.voting.helpers import ensure_districts

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
runner = CliRunner()
SLUG = demo_setup.SLUG


@pytest.fixture
def demo_site(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path / "var"
    settings.DEBUG = True  # /dev/outbox, as `saylau demo serve` runs the site
    settings.SAYLAU_OTP_SMS_MODE = "inline"
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    monkeypatch.setenv("SAYLAU_DEBUG", "1")
    monkeypatch.setenv("SAYLAU_LANGUAGE", "en")  # the commands' messages, as asserted below
    ensure_districts()
    yield
    from django.utils import translation

    translation.deactivate()


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def latest_code(phone: str) -> str:
    message = (
        OutboxMessage.objects.filter(to=phone_rules.normalize(phone), body__contains="sign-in")
        .order_by("-id")
        .first()
    )
    assert message is not None, "no sign-in code in the outbox"
    return re.search(r"(?<!\d)(\d{6})(?!\d)", message.body).group(1)


def test_demo_setup_vote_finish_verify(live_server, demo_site, monkeypatch):
    url = live_server.url
    out = run("demo", "setup", "--url", url)
    election = Election.objects.get(slug=SLUG)
    assert election.status == "open"
    assert election.closes_at is not None
    info = demo_setup.describe(SLUG)
    assert info.members >= 200 and len(info.districts) >= 3
    assert len(election.manifest["contests"]) == 2 * len(info.districts)
    voter = info.voters[0]

    # The instructions: labelled DEMO, where to sign in, with what, where the codes are.
    for needed in (
        "DEMO",
        f"{url}/en/vote/{SLUG}/",
        voter.iin,
        voter.phone,
        f"{url}/dev/outbox",
        voter.credential,
        "saylau vote cast",
        f"{url}/en/board/{SLUG}/",
        "saylau demo finish",
        "saylau verify",
    ):
        assert needed in out, needed
    assert (info.directory / "how-to-vote.txt").read_text("utf-8").startswith("=")
    assert voter.credential in run("demo", "outbox")

    # Setup again: nothing new (idempotent).
    members_before = info.members
    run("demo", "setup", "--url", url)
    assert demo_setup.describe(SLUG).members == members_before
    assert Election.objects.count() == 1

    # The browser's sign-in page and the outbox page answer.
    assert httpx.get(f"{url}/en/vote/{SLUG}/").status_code == 200

    # One ballot through HTTP with the Python client (what `make demo-check` does).
    number, tracking = demo_check.cast_one(url, info)
    assert number == 1 and len(tracking) == 64
    outbox_page = httpx.get(f"{url}/dev/outbox")
    assert outbox_page.status_code == 200 and latest_code(voter.phone) in outbox_page.text

    # The `saylau vote cast` command exactly as printed for the second demo voter; it asks
    # for the SMS code, which we read from the outbox.
    second = info.voters[1]
    line = next(line for line in out.splitlines() if f"--iin {second.iin}" in line)
    args = shlex.split(line.strip())
    assert args[:3] == ["saylau", "vote", "cast"]
    monkeypatch.setattr("saylau.cli.vote.ask_code", lambda: latest_code(second.phone))
    cast_out = run(*args[1:])
    assert "Your ballot is on the board" in cast_out
    receipt = info.directory / f"receipt-{second.number}.json"
    assert receipt.is_file()

    # Finish: close now, 2 of 3 demo trustees decrypt, tally, publish, verify.
    out = run("demo", "finish")
    assert "the record verifies" in out
    election.refresh_from_db()
    assert election.status == "published"
    actions = set(AuditEvent.objects.filter(election=election).values_list("action", flat=True))
    assert "election.schedule" in actions  # closing early is on the record
    path, report = demo_setup.finish(SLUG)  # again: nothing left to do but verify
    assert "VERIFIED" in run("verify", str(path))
    counted = {d: r["ballots_counted"] for d, r in report.results.items()}
    assert sum(counted.values()) == 2
    assert counted[voter.district] >= 1 and counted[second.district] >= 1
    assert httpx.get(f"{url}/api/voting/{SLUG}/record").status_code == 200


@pytest.mark.django_db
def test_demo_manifest_follows_the_registry_and_the_primaries_shape():
    from saylau.elections import manifest_io

    ensure_districts()
    manifest = manifest_io.check_manifest(manifest_io.normalise(demo_setup.manifest()))
    assert [d.id for d in manifest.districts] == list(demo_setup.DISTRICTS)
    for district in demo_setup.DISTRICTS:
        one, up_to_three = manifest.contests_for(district)
        assert (one.min_marks, one.max_marks) == (1, 1)
        assert (up_to_three.min_marks, up_to_three.max_marks) == (0, 3)
        for contest in (one, up_to_three):
            assert [o.against_all for o in contest.options].count(True) == 1


def test_demo_members_are_in_the_demo_districts():
    people = demo_setup.members(200)
    assert len(people) == 200 and len({p.iin for p in people}) == 200
    assert {p.district for p in people} == set(demo_setup.DISTRICTS)
    assert people[:50] == demo_setup.members(50)  # the same seed, the same members
