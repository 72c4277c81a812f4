"""`saylau demo`, as `make demo` and `make demo-check` run it, against a live server: setup
(members, roll, election, demo ceremony and CA, voting open), the printed instructions, a
sign-in and a ballot over HTTP with the Python client, the printed `saylau vote cast` command
run as printed, the outbox, then `saylau demo finish` and the universal verifier."""

from __future__ import annotations

import re
import shlex
import shutil
import zipfile

import httpx
import pytest
from django.test import Client
from typer.testing import CliRunner

from saylau.board.models import Leaf, LeafKind
from saylau.cli.main import app
from saylau.demo import check as demo_check
from saylau.demo import counts as demo_counts
from saylau.demo import exit_poll as demo_exit_poll
from saylau.demo import finish as demo_finish
from saylau.demo import observers as demo_observers
from saylau.demo import paper as demo_paper
from saylau.demo import protocols as demo_protocols
from saylau.demo import setup as demo_setup
from saylau.elections.models import AuditEvent, Election
from saylau.notify.models import OutboxMessage
from saylau.paper.models import Protocol, Resolution
from saylau.record.verify import verify_record
from saylau.registry import phone as phone_rules
from saylau.stations.models import CommissionMember, PaperAssignment, Station
from tests.voting.helpers import ensure_districts

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
runner = CliRunner()
SLUG = demo_setup.SLUG


@pytest.fixture
def demo_site(settings, tmp_path, monkeypatch):
    settings.VAR_DIR = tmp_path / "var"
    settings.DEBUG = True  # /dev/outbox, as `saylau demo serve` runs the site
    settings.SAYLAU_DEV_OUTBOX = True
    settings.SAYLAU_OTP_SMS_MODE = "inline"
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    monkeypatch.setenv("SAYLAU_DEBUG", "1")
    monkeypatch.setenv("SAYLAU_DEV_OUTBOX", "1")  # as `demo serve` sets it (decision 0021)
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
    out = instructions = run("demo", "setup", "--url", url)
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
        # the paper part: the commission's pages, the lists, the results, the DEMO accounts
        f"{url}/en/paper/login/",
        f"{url}/stations/{SLUG}/DEMO-71-001/voters.kk.pdf",
        f"{url}/en/results/{SLUG}/",
        "DEMO credentials",
        "demo-7101-op1 / demo-7101-op1-pass",
        "demo-organiser / demo-organiser-pass",
        "saylau demo paper",
    ):
        assert needed in out, needed
    assert (info.directory / "how-to-vote.txt").read_text("utf-8").startswith("=")
    assert voter.credential in run("demo", "outbox")

    # Setup again: nothing new (idempotent).
    members_before = info.members
    run("demo", "setup", "--url", url)
    assert demo_setup.describe(SLUG).members == members_before
    assert Election.objects.count() == 1
    check_stations(election, info)

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

    # Who voted on paper, before the close: one member had voted online first.
    out = run("demo", "paper")
    assert "one paper_override leaf took" in out
    assert "already marked" in run("demo", "paper")

    # Finish: close now, 2 of 3 demo trustees decrypt, tally, protocols, publish, verify.
    out = run("demo", "finish")
    assert "the record verifies" in out
    assert "votes online" in out and "+ paper" in out
    election.refresh_from_db()
    assert election.status == "published"
    actions = set(AuditEvent.objects.filter(election=election).values_list("action", flat=True))
    assert "election.schedule" in actions  # closing early is on the record
    path, report = demo_finish.finish(SLUG)  # again: nothing left to do but verify
    assert "VERIFIED" in run("verify", str(path))
    counted = {d: r["ballots_counted"] for d, r in report.results.items()}
    assert sum(counted.values()) == 2  # the override member's online ballot does not count
    assert counted[voter.district] >= 1 and counted[second.district] >= 1
    assert httpx.get(f"{url}/api/voting/{SLUG}/record").status_code == 200
    check_paper_part(election, path, report)
    assert httpx.get(f"{url}/en/results/{SLUG}/").status_code == 200
    check_civic_part(election, instructions)
    check_statistics(election, url, instructions)


def check_civic_part(election, instructions):
    """The observers in place, their reports and copies (the recounted station's copy is the
    first count, so it differs from the official protocol), one complaint under review, and
    the DEMO accounts that reach their pages."""
    from saylau.complaints.models import Complaint
    from saylau.demo import civic
    from saylau.observation.models import Accreditation, Submission

    named = [s.code for s in demo_paper.STATIONS]
    accredited = Accreditation.objects.filter(station__election=election, status="active")
    assert {"DEMO-71-001", "DEMO-75-001"} <= {a.station.code for a in accredited}
    sent = Submission.objects.filter(
        station__election=election, status="accepted", station__code__in=named
    )
    kinds = sorted(sent.values_list("kind", flat=True))
    assert kinds == ["check_in", "check_in", "incident", *["protocol_copy"] * 4]
    copy = sent.get(station__code=demo_protocols.RECOUNT[0], payload__contest="kz-71-mazhilis")
    official = Protocol.objects.get(
        station__code=demo_protocols.RECOUNT[0], contest="kz-71-mazhilis", status="accepted"
    )
    assert copy.payload["options"] != official.options  # before the recount
    (complaint,) = Complaint.objects.filter(election=election)
    assert complaint.status == "under_review" and complaint.assignee.username == "demo-committee"
    civic.setup_civic(election, lambda _m: None)  # again: nothing new
    civic.copy_protocols(election, lambda _m: None)
    assert sent.count() == len(kinds)
    assert Complaint.objects.filter(election=election).count() == 1
    pages = {
        "demo-observer-7101": "/en/observe/",
        "demo-hq": f"/en/hq/{SLUG}/",
        "demo-chair": "/en/committee/",
    }
    hq = Client()
    assert hq.login(username="demo-hq", password="demo-hq-pass")
    listed = hq.get(f"/en/hq/{SLUG}/discrepancies/")
    assert listed.status_code == 200 and demo_protocols.RECOUNT[0] in listed.text
    assert hq.get(f"/en/hq/{SLUG}/pvt/?seed=demo&margin=0.05").status_code == 200
    join = Client().get("/en/observe/join/demo-observers/")
    assert join.status_code == 200 and "DEMO" in join.text
    from saylau.observation.models import TrainingModule, TrainingSession

    assert TrainingModule.objects.count() == 1 and TrainingSession.objects.count() == 2
    for username, page in pages.items():
        assert f"{username} / {username}-pass" in instructions
        client = Client()
        assert client.login(username=username, password=f"{username}-pass")
        assert client.get(page).status_code == 200, page


def check_statistics(election, url, instructions):
    """The pages that need many stations show numbers (what `saylau demo check` asserts):
    the analysis's station tests run, the PVT's estimate, the planted discrepancy, the exit
    poll's estimates and WPE; its DEMO accounts are printed and sign in."""
    from saylau.analysis import report_cache
    from saylau.cli.election import warm_analysis
    from saylau.exitpoll.models import Entry, Interviewer
    from saylau.observation.models import Submission

    ready = report_cache.folder(election, report_cache.key(election)) / "report.json"
    assert ready.is_file()  # `demo finish` computed the analysis: its page does not wait
    shutil.rmtree(ready.parent)
    warm_analysis(election)  # as `saylau election advance` does on publishing
    assert ready.is_file()
    assert demo_check.statistics_problems(url, "en", SLUG) == []
    poll = demo_exit_poll.the_poll(election)
    kinds = set(Entry.objects.filter(poll=poll, status="accepted").values_list("kind", flat=True))
    assert kinds == {"answer", "refusal", "non_contact"}
    assert Interviewer.objects.filter(poll=poll).count() == demo_exit_poll.INTERVIEWERS
    assert all(i.stations.exists() for i in Interviewer.objects.filter(poll=poll))
    # the counting stations declare their electors (decision 0048): real approach intervals
    assert poll.design["size_sources"]["declared"] >= 30
    counting = poll.sampled.exclude(station__code__endswith="-001")
    assert counting.exists() and all(s.every > 1 for s in counting)
    copied = Submission.objects.filter(kind="protocol_copy").values_list("station__code", flat=True)
    assert set(demo_observers.sampled_codes(election)) <= set(copied)  # a copy at every drawn one
    altered = demo_observers.altered_station(election)
    copy = Submission.objects.get(
        station__code=altered, kind="protocol_copy", payload__contest="kz-71-mazhilis"
    )
    official = Protocol.objects.get(station__code=altered, contest="kz-71-mazhilis")
    assert copy.payload["options"] != official.options
    for a in demo_exit_poll.accounts():
        assert f"{a.username} / {a.password}" in instructions
        assert Client().login(username=a.username, password=a.password)
    assert f"/en/exitpoll/{poll.slug}/" in instructions


def check_stations(election, info):
    """Two stations, each with a commission of four, three DEMO accounts and a paper list
    that holds no demo voter; setup run twice made nothing twice."""
    every = Station.objects.filter(election=election)
    assert every.count() == 2 + 3 * (demo_counts.PER_DISTRICT - 1)
    stations = list(every.filter(code__in=["DEMO-71-001", "DEMO-75-001"]))
    assert len(stations) == 2
    assert not PaperAssignment.objects.filter(election=election).exclude(
        station__in=["DEMO-71-001", "DEMO-75-001"]
    )
    demo_ids = {
        m.pk
        for m in demo_setup.registry.roll_members(SLUG).filter(iin__in=[v.iin for v in info.voters])
    }
    for station in stations:
        commission = CommissionMember.objects.filter(station=station)
        assert sorted(commission.values_list("role", flat=True)) == [
            "chair",
            "member",
            "member",
            "secretary",
        ]
        assert commission.exclude(user=None).count() == 3  # two operators and a supervisor
        listed = set(
            PaperAssignment.objects.filter(election=election, station=station.code).values_list(
                "member_id", flat=True
            )
        )
        assert len(listed) == demo_paper.PAPER_LIST and not listed & demo_ids
    client = Client()
    assert client.login(username="demo-7101-op1", password="demo-7101-op1-pass")
    pdf = client.get(f"/stations/{SLUG}/DEMO-71-001/voters.kk.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF-")
    assert client.get(f"/stations/{SLUG}/DEMO-75-001/voters.kk.pdf").status_code == 403


def check_paper_part(election, path, report):
    """One override of an online ballot, one settled conflict, one superseded revision; the
    record's paper files present and verifying; a changed protocol line is rejected."""
    leaves = Leaf.objects.filter(election=election)
    voted_online = set(leaves.filter(kind=LeafKind.CAST).values_list("credential", flat=True))
    overrides = leaves.filter(kind=LeafKind.PAPER_OVERRIDE)
    assert overrides.count() == 3 + 4  # who voted at the two stations
    assert overrides.filter(credential__in=voted_online).count() == 1
    protocols = Protocol.objects.filter(election=election)
    counting = 2 * 3 * (demo_counts.PER_DISTRICT - 1)  # two contests per station
    assert protocols.filter(status=Protocol.Status.ACCEPTED).count() == 4 + counting
    (superseded,) = protocols.filter(status=Protocol.Status.SUPERSEDED)
    recount = protocols.get(revision=2)
    assert (superseded.station.code, superseded.contest) == ("DEMO-71-001", "kz-71-mazhilis")
    assert recount.reason == demo_protocols.RECOUNT_REASON and recount.entries.count() == 2
    assert Resolution.objects.filter(protocol__election=election).count() == 1
    assert protocols.filter(revision=1, entries__number=2).distinct().count() == 4 + counting
    assert all(p.scan_sha256 for p in protocols)
    assert report.ok and report.stats["paper_stations"] == 2 + 3 * (demo_counts.PER_DISTRICT - 1)
    assert report.stats["paper_recounted"] == 1 and report.consolidation is not None
    with zipfile.ZipFile(path) as record:
        names = set(record.namelist())
        files = {name: record.read(name) for name in names}
    assert {"paper/stations.json", "paper/protocols.jsonl", "consolidation.json"} <= names
    assert b"DEMO-75-001" in files["paper/stations.json"]
    # A protocol line changed after publication is rejected by the verifier.
    lines = files["paper/protocols.jsonl"]
    assert lines.count(b'"revision":2') == 1
    files["paper/protocols.jsonl"] = lines.replace(b"observer disputed", b"observer accepted")
    forged = path.parent / "forged-record.zip"
    with zipfile.ZipFile(forged, "w") as out:
        for name, data in files.items():
            out.writestr(name, data)
    assert not verify_record(forged).ok


@pytest.mark.django_db
def test_demo_protocols_hold_every_control_relation_and_the_marks():
    """Each DEMO protocol (and the recount's) holds the relations, issues one ballot per
    member marked at its station, and the mistyped line breaks none (the supervisor's
    settlement, not the relations, catches it)."""
    from saylau.elections import manifest_io
    from saylau.protocol.paper_protocol import check_relations, counts_from_json

    ensure_districts()
    manifest = manifest_io.check_manifest(manifest_io.normalise(demo_setup.manifest()))
    sheets = []
    for station in demo_paper.STATIONS:
        for contest in manifest.contests_for(station.district):
            key = (station.code, demo_protocols.kind_of(contest))
            sheets.append(demo_protocols.sheet(station, contest, demo_protocols.VOTES[key]))
            if key == demo_protocols.RECOUNT:
                sheets.append(demo_protocols.sheet(station, contest, demo_protocols.RECOUNT_VOTES))
    assert len(sheets) == 5
    for one in sheets:
        ids = [o.id for o in one.contest.options]
        counts = counts_from_json(one.typed.counts, one.typed.options, ids, "demo")
        limits = {"min_marks": one.contest.min_marks, "max_marks": one.contest.max_marks}
        assert check_relations(counts, **limits) == []
        marked = one.station.voted + (one.station.code == demo_paper.OVERRIDE_STATION)
        assert one.typed.counts["ballots_issued"] == marked
        assert sum(one.typed.options.values()) <= one.contest.max_marks * counts.valid
    broken = dict(sheets[0].typed.counts, ballots_issued=99)
    ids = [o.id for o in sheets[0].contest.options]
    failed = check_relations(counts_from_json(broken, sheets[0].typed.options, ids, "demo"))
    assert {f.code for f in failed} >= {"issued_le_received"}


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


@pytest.mark.parametrize("host", ["0.0.0.0", "192.0.2.7", "::"])
def test_demo_serve_refuses_a_non_loopback_address(host, monkeypatch):
    """The demo site runs with debugging on: it never listens beyond this computer."""
    started = []
    monkeypatch.setattr("saylau.cli.demo.start_server", lambda *a, **k: started.append(a))
    result = runner.invoke(app, ["demo", "serve", "--host", host, "--lang", "ru"])
    assert result.exit_code == 2, result.output
    assert "не является" in result.output or "127.0.0.1" in result.output
    assert host in result.output and not started
