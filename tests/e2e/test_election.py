"""One election through real processes, each role a separate `saylau` process with a directory
of its own: the organiser's commands and the app under granian on a PostgreSQL database of
their own, three trustees (a 2-of-3 ceremony, at the same time) and the credential authority
over HTTP, codes by SMS to a provider on loopback, voters through `saylau vote cast` (one
re-votes), close, decryption with trustee 2 absent, tally, publication, the record downloaded
over HTTP and `saylau verify`; a tampered copy of it must fail verification."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import random
import re
import secrets
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from saylau.registry import synth
from tests.e2e.processes import Processes, Redactor
from tests.e2e.sms_gateway import CREDENTIAL_CODE, SIGN_IN_CODE, SmsGateway

pytestmark = pytest.mark.e2e

SLUG = "e2e-primaries"
DISTRICTS = ("KZ-71", "KZ-75")
PER_DISTRICT = 3
FREEZE = "2020-09-11"  # the synthetic members joined before it (synth.DEFAULT_AS_OF)
TRUSTEES, THRESHOLD, ABSENT = 3, 2, 2
COLUMNS = "250"  # rich wraps at the terminal's width; wide enough for whole tokens


def manifest() -> dict[str, Any]:
    """Per district a vote-for-1 seat (3 candidates and "against all"); one shared
    vote-for-up-to-2 council (4 candidates and "against all")."""

    def options(prefix: str, n: int) -> list[dict[str, Any]]:
        people = [
            {
                "id": f"{prefix}-{k}",
                "name": {"kk": f"Үміткер {k}", "ru": f"Кандидат {k}", "en": f"Candidate {k}"},
            }
            for k in range(1, n + 1)
        ]
        against = {"kk": "Барлығына қарсы", "ru": "Против всех", "en": "Against all"}
        return [*people, {"id": f"{prefix}-aa", "name": against, "against_all": True}]

    contests = [
        {
            "id": "council",
            "name": {"kk": "Кеңес", "ru": "Совет", "en": "Council"},
            "min_marks": 0,
            "max_marks": 2,
            "options": options("council", 4),
        }
    ]
    districts, styles = [], []
    for code in DISTRICTS:
        seat = f"{code.lower()}-seat"
        contests.append(
            {
                "id": seat,
                "name": {"kk": f"{code} орны", "ru": f"Место {code}", "en": f"{code} seat"},
                "min_marks": 1,
                "max_marks": 1,
                "options": options(seat, 3),
            }
        )
        styles.append({"id": f"{code.lower()}-style", "contests": [seat, "council"]})
        districts.append({"id": code, "ballot_style": f"{code.lower()}-style"})
    return {
        "schema": "saylau-manifest/1",
        "election_id": SLUG,
        "title": {"kk": "Праймериз (e2e)", "ru": "Праймериз (e2e)", "en": "Primaries (e2e)"},
        "districts": districts,
        "ballot_styles": styles,
        "contests": contests,
    }


def contests_of(doc: dict[str, Any], district: str) -> list[dict[str, Any]]:
    style = next(d["ballot_style"] for d in doc["districts"] if d["id"] == district)
    ids = next(s["contests"] for s in doc["ballot_styles"] if s["id"] == style)
    return [c for c in doc["contests"] if c["id"] in ids]


def members() -> list[synth.SyntheticMember]:
    """PER_DISTRICT synthetic members in each of DISTRICTS."""
    found: dict[str, list[synth.SyntheticMember]] = {code: [] for code in DISTRICTS}
    for person in synth.generate(2000, seed=13):
        group = found.get(person.district)
        if group is not None and len(group) < PER_DISTRICT:
            group.append(person)
    people = [p for code in DISTRICTS for p in found[code]]
    assert len(people) == PER_DISTRICT * len(DISTRICTS)
    return people


def random_marks(contest: dict[str, Any], rnd: random.Random) -> list[int]:
    """A valid selection: `against all` alone, or between min and max candidates."""
    options = contest["options"]
    marks = [0] * len(options)
    people = [k for k, o in enumerate(options) if not o.get("against_all")]
    if rnd.random() < 0.2:
        marks[next(k for k, o in enumerate(options) if o.get("against_all"))] = 1
        return marks
    for k in rnd.sample(people, rnd.randint(max(1, contest["min_marks"]), contest["max_marks"])):
        marks[k] = 1
    return marks


def base_env(home: Path) -> dict[str, str]:
    """A clean environment: no database, no secret key, nothing of the caller's saylau."""
    home.mkdir(parents=True, exist_ok=True)
    keep = ("PATH", "LANG", "LC_ALL", "TZ", "SYSTEMROOT")
    env = {k: v for k, v in os.environ.items() if k in keep}
    return {
        **env,
        "HOME": str(home),
        "SAYLAU_VAR_DIR": str(home / "var"),
        "SAYLAU_LANGUAGE": "en",
        "COLUMNS": COLUMNS,
        "NO_COLOR": "1",
    }


def server_env(home: Path, database_url: str, sms: SmsGateway) -> dict[str, str]:
    """The server's (granian's and the organiser's commands'): production settings on
    loopback, sign-in codes through the HTTP SMS provider."""
    return {
        **base_env(home),
        "DATABASE_URL": database_url,
        "SAYLAU_SECRET_KEY": secrets.token_urlsafe(40),
        "SAYLAU_DEBUG": "0",
        "SAYLAU_ALLOWED_HOSTS": "127.0.0.1",
        "SAYLAU_SECURE_COOKIES": "0",
        "SAYLAU_SMS_BACKEND": "http",
        "SAYLAU_SMS_URL": sms.url,
        "SAYLAU_SMS_TOKEN": sms.token,
        "SAYLAU_OTP_SMS_MODE": "background",
        "SAYLAU_OTP_RESEND": "1",  # the re-voter signs in again within seconds
        "SAYLAU_LOG_LEVEL": "INFO",  # every log line the app writes is checked for IINs/phones
    }


@dataclass
class Election:
    """The roles' handles: the processes, the server's environment and the directories."""

    procs: Processes
    env: dict[str, str]
    root: Path
    sms: SmsGateway
    url: str = ""

    def organiser(self, *args: object, timeout: float = 60) -> str:
        return self.procs.run(
            [str(a) for a in args], self.env, self.root / "server", timeout=timeout
        ).output

    def advance(self, to: str) -> None:
        out = self.organiser("election", "advance", SLUG, "--to", to, "--workers", 1)
        assert f"{SLUG} is now: {to}" in out

    def role(self, name: str) -> tuple[dict[str, str], Path]:
        """A role's own environment and working directory (no database, no server secret)."""
        home = self.root / name
        return base_env(home), home


def set_up_roll(e: Election, people: list[synth.SyntheticMember]) -> None:
    csv_file = e.root / "server" / "members.csv"
    lines = [",".join(synth.HEADER), *(",".join(p.row()) for p in people)]
    csv_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    e.organiser("manage", "migrate", "--no-input", timeout=120)
    e.organiser("roll", "import", csv_file)
    e.organiser("roll", "open", SLUG, "--freeze-date", FREEZE)
    e.organiser("roll", "close", SLUG)


TOKEN = re.compile(r"\S{30,}")


def create_election(e: Election) -> dict[str, str]:
    """`election create`; the seats' tokens ("1", "2", "3", "CA") from its table."""
    path = e.root / "server" / "manifest.json"
    path.write_text(json.dumps(manifest(), ensure_ascii=False), encoding="utf-8")
    closes = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat(timespec="seconds")
    out = e.procs.run(
        [
            "election",
            "create",
            str(path),
            "--trustees",
            str(TRUSTEES),
            "--threshold",
            str(THRESHOLD),
            "--closes",
            closes,
            "--ip-policy",
            "limit",
        ],
        e.env,
        e.root / "server",
    ).stdout
    tokens: dict[str, str] = {}
    for line in out.splitlines():
        seat = re.match(r"\W*(CA|\d+)\b", line)
        token = TOKEN.findall(line)
        if seat and token:
            tokens[seat.group(1)] = token[-1].strip("│┃|")
    assert sorted(tokens) == ["1", "2", "3", "CA"], e.procs.redact(out)
    return tokens


def key_ceremony(e: Election, tokens: dict[str, str]) -> dict[int, Path]:
    """Each trustee on its own: `trustee init`, then `trustee ceremony --wait`, all three at
    the same time until the ceremony is complete."""
    keyfiles: dict[int, Path] = {}
    for j in range(1, TRUSTEES + 1):
        env, home = e.role(f"trustee-{j}")
        keyfiles[j] = home / "trustee.key"
        out = e.procs.run(
            [
                "trustee",
                "init",
                "--server",
                e.url,
                "--election",
                SLUG,
                "--index",
                j,
                "--token",
                tokens[str(j)],
                "--keyfile",
                keyfiles[j],
            ],
            env,
            home,
        ).output
        assert f"trustee {j} of {TRUSTEES}" in out
        assert keyfiles[j].stat().st_mode & 0o077 == 0
    roles = [e.role(f"trustee-{j}") for j in keyfiles]
    e.procs.run_all(
        [
            ["trustee", "ceremony", "--keyfile", keyfiles[j], "--wait", "--poll", "0.3"]
            for j in keyfiles
        ],
        roles[0][0] | {},
        [home for _env, home in roles],
        timeout=90,
    )
    for j, path in keyfiles.items():
        env, home = e.role(f"trustee-{j}")
        status = e.procs.run(["trustee", "status", "--keyfile", path], env, home).output
        assert "holds your key share" in status, status
    return keyfiles


def issue_credentials(e: Election, token: str, people: list[synth.SyntheticMember]) -> dict:
    """`ca issue` with its SMS going to the loopback provider; every member's code."""
    env, home = e.role("ca")
    env |= {
        "SAYLAU_CA_TOKEN": token,
        "SAYLAU_CA_SMS_URL": e.sms.url,
        "SAYLAU_CA_SMS_TOKEN": e.sms.token,
    }
    out = e.procs.run(
        [
            "ca",
            "issue",
            "--server",
            e.url,
            "--election",
            SLUG,
            "--out-secrets",
            home / "ca-secrets.json",
            "--sms",
            "http",
        ],
        env,
        home,
        timeout=60,
    ).output
    assert f"Credentials: {len(people)}" in out, e.procs.redact(out)
    codes = {}
    for p in people:
        codes[p.iin] = e.sms.wait_for_code(p.phone, CREDENTIAL_CODE, seen=0, timeout=1)
    e.procs.run(["ca", "destroy", "--secrets", home / "ca-secrets.json"], env, home)
    return codes


Ballot = tuple[int, synth.SyntheticMember, str, dict[str, list[int]]]  # voter no., …, choices


def cast(e: Election, voters: list[Ballot], tag: str, revote: bool = False) -> None:
    """`vote cast` for each voter at the same time; each waits for its sign-in SMS on stdin."""
    running = []
    for number, person, code, choices in voters:
        env, home = e.role(f"voter-{number}")
        (home / f"choices-{tag}.json").write_text(json.dumps(choices))
        args = [
            "vote",
            "cast",
            e.url,
            SLUG,
            "--iin",
            person.iin,
            "--phone",
            person.phone,
            "--credential",
            code,
            "--choices",
            f"choices-{tag}.json",
            "--receipt",
            f"receipt-{tag}.json",
            "--lang",
            "en",
        ]
        seen = len(e.sms.to(person.phone))
        running.append((person, home, args, seen, e.procs.start(args, env, home, stdin=True)))
    for person, home, args, seen, proc in running:
        try:
            otp = e.sms.wait_for_code(
                person.phone,
                SIGN_IN_CODE,
                seen=seen,
                timeout=e.procs.deadline.left(45),
                still_waiting=lambda p=proc: p.poll() is None,  # type: ignore[misc]
            )
        except TimeoutError as error:
            proc.kill()
            failed = e.procs.finish(proc, args, 10, check=False)
            raise AssertionError(f"{error}: {e.procs.describe(failed)}") from None
        done = e.procs.finish(proc, args, 60, input=otp + "\n")
        said = "it replaces your ballot" if revote else "your first ballot"
        assert "Your ballot is on the board" in done.output and said in done.output, (
            e.procs.describe(done)
        )
        receipt = json.loads((home / f"receipt-{tag}.json").read_text())
        assert re.fullmatch(r"[0-9a-f]{64}", receipt["receipt"]["tracking_code"])


def vote(e: Election, people: list[synth.SyntheticMember], codes: dict) -> dict:
    """Two voters per district cast a ballot, the first of them votes again; one member per
    district stays away. Returns the counts the voters' last ballots make."""
    doc, rnd = manifest(), random.Random(2026)
    last: dict[str, tuple[synth.SyntheticMember, dict]] = {}
    first = [p for code in DISTRICTS for p in [q for q in people if q.district == code][:2]]
    rounds = [first, first[:1]]  # round 2: the re-vote
    for tag, voters in enumerate(rounds):
        ballots: list[Ballot] = []
        for person in voters:
            choices = {c["id"]: random_marks(c, rnd) for c in contests_of(doc, person.district)}
            ballots.append((people.index(person) + 1, person, codes[person.iin], choices))
            last[person.iin] = (person, choices)
        cast(e, ballots, f"round{tag}", revote=tag > 0)
    expected: dict = {}
    for code in DISTRICTS:
        expected[code] = {
            c["id"]: {o["id"]: 0 for o in c["options"]} for c in contests_of(doc, code)
        }
    for person, choices in last.values():
        for contest in contests_of(doc, person.district):
            for option, mark in zip(contest["options"], choices[contest["id"]], strict=True):
                expected[person.district][contest["id"]][option["id"]] += mark
    return expected


def close_and_count(e: Election, keyfiles: dict[int, Path]) -> None:
    """Close now, the encrypted sums, decryption shares from the trustees who came (each
    checks the board first), tally, publish (the server verifies before publishing)."""
    e.organiser("election", "schedule", SLUG, "--closes", dt.datetime.now(dt.UTC).isoformat())
    e.advance("closed")
    e.organiser("election", "sum", SLUG)
    present = [j for j in keyfiles if j != ABSENT]
    roles = [e.role(f"trustee-{j}") for j in present]
    done = e.procs.run_all(
        [
            ["trustee", "decrypt", "--keyfile", keyfiles[j], "--workers", "1", "--no-progress"]
            for j in present
        ],
        roles[0][0],
        [home for _env, home in roles],
        timeout=90,
    )
    for result in done:
        # open, 5 ballots (one a re-vote), close: 7 leaves, 4 ballots count
        assert "Board checked: 7 leaves, 4 ballots count" in result.output, result.output
    e.advance("tallied")
    e.advance("published")


def reseal(record: Path) -> None:
    """Recompute record.json's file digests over the edited files, as a forger would."""
    from saylau.protocol.canonical import canonical_json

    index = json.loads((record / "record.json").read_text())
    for name in index["files"]:
        index["files"][name] = hashlib.sha256((record / name).read_bytes()).hexdigest()
    (record / "record.json").write_bytes(canonical_json(index))


def verify(e: Election, record: Path) -> tuple[int, dict[str, Any]]:
    env, home = e.role("observer")
    done = e.procs.run(
        ["verify", record, "--workers", "1", "--no-progress", "--json"],
        env,
        home,
        timeout=90,
        check=False,
    )
    return done.returncode, json.loads(done.stdout)


def download_and_verify(e: Election, expected: dict) -> None:
    """The record over HTTP; `saylau verify` re-derives the voters' result from it; a copy
    that announces one vote more for a candidate, resealed, must fail."""
    _env, home = e.role("observer")
    answer = httpx.get(f"{e.url}/api/voting/{SLUG}/record", timeout=e.procs.deadline.left(30))
    assert answer.status_code == 200, answer.text[:500]
    zipped = home / "record.zip"
    zipped.write_bytes(answer.content)
    code, report = verify(e, zipped)
    assert code == 0 and report["ok"], report["failures"]
    for district, contests in expected.items():
        assert report["results"][district]["contests"] == contests

    forged = home / "forged"
    zipfile.ZipFile(io.BytesIO(answer.content)).extractall(forged)
    results = next(forged.rglob("results.json"))
    doc = json.loads(results.read_text())
    first_seat = f"{DISTRICTS[0].lower()}-seat"
    text = json.dumps(doc)
    assert f'"{first_seat}-1"' in text
    bumped = re.sub(rf'("{first_seat}-1": )(\d+)', lambda m: m[1] + str(int(m[2]) + 1), text, 1)
    results.write_text(bumped)
    reseal(results.parent)
    code, report = verify(e, results.parent)
    assert code != 0 and not report["ok"]
    assert {f["check"] for f in report["failures"]} == {"results"}, report["failures"]


def test_an_election_through_real_processes(
    database_url: str,
    sms_gateway: SmsGateway,
    processes: Processes,
    redact: Redactor,
    tmp_path: Path,
) -> None:
    people = members()
    redact.add(p.iin for p in people)
    redact.add(p.phone for p in people)
    server = tmp_path / "server"
    e = Election(processes, server_env(server, database_url, sms_gateway), tmp_path, sms_gateway)
    set_up_roll(e, people)
    tokens = create_election(e)
    e.url = processes.serve(e.env, server, server / "granian.log")
    e.advance("roll_closed")
    keyfiles = key_ceremony(e, tokens)
    e.advance("keys_ready")
    codes = issue_credentials(e, tokens["CA"], people)
    e.advance("credentials_issued")
    e.advance("open")
    expected = vote(e, people, codes)
    close_and_count(e, keyfiles)
    download_and_verify(e, expected)
    assert sms_gateway.refused == 0
    log = (server / "granian.log").read_text(errors="replace")
    assert redact(log) == log, "an IIN or a phone number is in the server's log"
