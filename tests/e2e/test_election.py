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

from saylau.protocol.canonical import canonical_json
from saylau.registry import synth
from tests.e2e.election_data import (
    DISTRICTS,
    FREEZE,
    SLUG,
    contests_of,
    manifest,
    members,
    random_marks,
)
from tests.e2e.processes import Done, Private, Processes, Redactor, argv
from tests.e2e.sms_gateway import CREDENTIAL_CODE, SIGN_IN_CODE, SmsGateway

pytestmark = pytest.mark.e2e

TRUSTEES, THRESHOLD, ABSENT = 3, 2, 2
COLUMNS = "250"  # rich wraps at the terminal's width; wide enough for whole tokens


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
        "SAYLAU_OTP_RESEND": "0",  # the re-voter asks for a new code within a second of the last
        "SAYLAU_LOG_LEVEL": "INFO",  # every log line the app writes is checked for IINs/phones
    }


@dataclass(repr=False)  # its environment holds the server's secret key
class Election:
    """The roles' handles: the processes, the server's environment and the directories."""

    procs: Processes
    env: dict[str, str]
    root: Path
    sms: SmsGateway
    url: str = ""

    def organiser(self, template: str, timeout: float = 60, **values: object) -> Done:
        """An organiser's command on the server (its database and secret key)."""
        args = argv(template, slug=SLUG, **values)
        return self.procs.run(args, self.env, self.root / "server", timeout=timeout)

    def advance(self, to: str) -> None:
        done = self.organiser("election advance {slug} --to {to} --workers 1", to=to)
        self.procs.says(done, f"{SLUG} is now: {to}")

    def run_as(
        self, name: str, template: str, timeout: float = 60, check: bool = True, **values: object
    ) -> Done:
        """A command of the role `name` (a trustee, the CA, an observer) on its own machine."""
        env, home = self.role(name)
        args = argv(template, url=self.url, slug=SLUG, **values)
        return self.procs.run(args, env, home, timeout=timeout, check=check)

    def role(self, name: str) -> tuple[dict[str, str], Path]:
        """A role's own environment and working directory (no database, no server secret)."""
        home = self.root / name
        return base_env(home), home


def set_up_roll(e: Election, people: list[synth.SyntheticMember]) -> None:
    """migrate, `roll import` of the synthetic members, `roll open`, `roll close`."""
    csv_file = e.root / "server" / "members.csv"
    lines = [",".join(synth.HEADER), *(",".join(p.row()) for p in people)]
    csv_file.write_text("\n".join(lines) + "\n", encoding="utf-8")
    e.organiser("manage migrate --no-input", timeout=120)
    e.organiser("roll import {csv}", csv=csv_file)
    e.organiser("roll open {slug} --freeze-date {freeze}", freeze=FREEZE)
    e.organiser("roll close {slug}")


TOKEN = re.compile(r"[A-Za-z0-9_-]{30,}")


def create_election(e: Election) -> dict[str, str]:
    """`election create`; the seats' tokens ("1", "2", "3", "CA") from what it prints."""
    path = e.root / "server" / "manifest.json"
    path.write_text(json.dumps(manifest(), ensure_ascii=False), encoding="utf-8")
    closes = (dt.datetime.now(dt.UTC) + dt.timedelta(days=1)).isoformat(timespec="seconds")
    done = e.organiser(
        "election create {path} --trustees {n} --threshold {t} --closes {closes} "
        "--ip-policy limit --lang en",
        path=path, n=TRUSTEES, t=THRESHOLD, closes=closes,
    )  # fmt: skip
    tokens: dict[str, str] = {}
    seat: str | None = None
    for line in done.stdout.splitlines():  # "Trustee 1:" then its token, or one table row
        found = TOKEN.search(line)
        label = line[: found.start()] if found else line
        named = re.search(r"\b(\d+)\b", label)
        if "CA" in label.split() or "Credential authority" in label:
            seat = "CA"
        elif named:
            seat = named.group(1)
        if found and seat:
            tokens[seat] = found.group()
    if sorted(tokens) != ["1", "2", "3", "CA"]:
        raise AssertionError("no token for every seat: " + e.procs.describe(done))
    return tokens


def key_ceremony(e: Election, tokens: dict[str, str]) -> dict[int, Path]:
    """Each trustee on its own machine: `trustee init`, then `trustee ceremony --wait`, the
    three at the same time until the ceremony is complete."""
    keyfiles = {j: e.role(f"trustee-{j}")[1] / "trustee.key" for j in range(1, TRUSTEES + 1)}
    for j, keyfile in keyfiles.items():
        done = e.run_as(
            f"trustee-{j}",
            "trustee init --server {url} --election {slug} --index {j} --token {token} "
            "--keyfile {keyfile}",
            j=j, token=tokens[str(j)], keyfile=keyfile,
        )  # fmt: skip
        e.procs.says(done, f"trustee {j} of {TRUSTEES}")
        assert keyfile.stat().st_mode & 0o077 == 0
    roles = [e.role(f"trustee-{j}") for j in keyfiles]
    e.procs.run_all(
        [argv("trustee ceremony --keyfile {k} --wait --poll 0.3", k=k) for k in keyfiles.values()],
        [env for env, _home in roles],
        [home for _env, home in roles],
        timeout=90,
    )
    for j, keyfile in keyfiles.items():
        done = e.run_as(f"trustee-{j}", "trustee status --keyfile {k}", k=keyfile)
        e.procs.says(done, "holds your key share")
    return keyfiles


def issue_credentials(e: Election, token: str, people: list[synth.SyntheticMember]) -> list[str]:
    """`ca issue` on the CA's machine, its SMS to the loopback provider; each member's code
    (in the order of `people`), read from their SMS; then `ca destroy`."""
    env, home = e.role("ca")
    env |= {"SAYLAU_CA_TOKEN": token, "SAYLAU_CA_SMS_URL": e.sms.url,
            "SAYLAU_CA_SMS_TOKEN": e.sms.token}  # fmt: skip
    secrets_file = home / "ca-secrets.json"
    args = argv(
        "ca issue --server {url} --election {slug} --out-secrets {f} --sms http",
        url=e.url, slug=SLUG, f=secrets_file,
    )  # fmt: skip
    done = e.procs.run(args, env, home, timeout=60)
    e.procs.says(done, f"Credentials: {len(people)}", "not deliverable: 0")
    codes: list[str] = [
        Private(e.sms.wait_for_code(p.phone, CREDENTIAL_CODE, seen=0, timeout=1)) for p in people
    ]
    e.procs.redact.add(codes)  # a voter's secret: masked too
    e.procs.run(argv("ca destroy --secrets {f}", f=secrets_file), env, home)
    assert not secrets_file.exists()
    return codes


@dataclass(frozen=True)
class Ballot:
    number: int  # the voter's number (their directory), not their IIN
    person: synth.SyntheticMember
    credential: str
    choices: dict[str, list[int]]


def cast(e: Election, ballots: list[Ballot], tag: str, revote: bool = False) -> list[Receipt]:
    """`vote cast` for each voter at the same time; each reads its sign-in code from stdin,
    as a person types it from the SMS. Returns their receipts."""
    running = []
    for b in ballots:
        env, home = e.role(f"voter-{b.number}")
        (home / f"choices-{tag}.json").write_text(json.dumps(b.choices))
        args = argv(
            "vote cast {url} {slug} --iin {iin} --phone {phone} --credential {code} "
            "--choices choices-{tag}.json --receipt receipt-{tag}.json --lang en",
            url=e.url, slug=SLUG, iin=b.person.iin, phone=b.person.phone, code=b.credential,
            tag=tag,
        )  # fmt: skip
        seen = len(e.sms.to(b.person.phone))
        running.append((b, home, args, seen, e.procs.start(args, env, home, stdin=True)))
    said = "it replaces your ballot" if revote else "your first ballot"
    receipts = []
    for b, home, args, seen, proc in running:
        try:
            otp = e.sms.wait_for_code(
                b.person.phone, SIGN_IN_CODE, seen=seen, timeout=e.procs.deadline.left(45),
                still_waiting=lambda p=proc: p.poll() is None,  # type: ignore[misc]
            )  # fmt: skip
        except TimeoutError as error:
            proc.kill()
            failed = e.procs.finish(proc, args, 10, check=False)
            raise AssertionError(f"{error}: {e.procs.describe(failed)}") from None
        done = e.procs.finish(proc, args, 60, input=otp + "\n")
        e.procs.says(done, "Your ballot is on the board", said)
        receipt = json.loads((home / f"receipt-{tag}.json").read_text())["receipt"]
        assert re.fullmatch(r"[0-9a-f]{64}", receipt["tracking_code"])
        receipts.append(Receipt(b.number, receipt))
    return receipts


@dataclass(frozen=True)
class Receipt:
    number: int  # the voter's
    body: dict[str, Any]  # tracking_code, inclusion_proof, tree_head (signed)

    @property
    def head(self) -> str:
        """SIZE:ROOT of the signed head in it, as `trustee decrypt --expect-head` takes it."""
        return f"{self.body['tree_head']['tree_size']}:{self.body['tree_head']['root_hash']}"


def vote(
    e: Election, people: list[synth.SyntheticMember], codes: list[str]
) -> tuple[dict[str, Any], list[Receipt]]:
    """Two voters per district cast a ballot, then the first of them votes again; one member
    per district stays away. Returns the counts that the voters' last ballots make, and every
    receipt (the re-vote's last)."""
    doc, rnd = manifest(), random.Random(2026)
    by_district = [[k for k, p in enumerate(people) if p.district == code] for code in DISTRICTS]
    first = [k for numbers in by_district for k in numbers[:2]]
    last: dict[int, Ballot] = {}
    receipts: list[Receipt] = []
    for tag, voters in enumerate([first, first[:1]]):  # round 1: the re-vote
        ballots = [
            Ballot(k + 1, people[k], codes[k],
                   {c["id"]: random_marks(c, rnd) for c in contests_of(doc, people[k].district)})
            for k in voters
        ]  # fmt: skip
        last.update({b.number: b for b in ballots})
        receipts += cast(e, ballots, f"round{tag}", revote=tag > 0)
    expected = {code: {c["id"]: {o["id"]: 0 for o in c["options"]} for c in contests_of(doc, code)}
                for code in DISTRICTS}  # fmt: skip
    for b in last.values():
        for contest in contests_of(doc, b.person.district):
            for option, mark in zip(contest["options"], b.choices[contest["id"]], strict=True):
                expected[b.person.district][contest["id"]][option["id"]] += mark
    return expected, receipts


def find_ballots(e: Election, receipts: list[Receipt]) -> None:
    """Each voter finds each of their ballots on the board with `vote find` (its inclusion
    proof checked in the signed head now); the re-voter's first one is replaced."""
    roles = [e.role(f"voter-{r.number}") for r in receipts]
    found = e.procs.run_all(
        [argv("vote find {url} {slug} {code} --lang en", url=e.url, slug=SLUG,
              code=r.body["tracking_code"]) for r in receipts],
        [env for env, _home in roles], [home for _env, home in roles], timeout=60,
    )  # fmt: skip
    replaced = next(r for r in receipts[:-1] if r.number == receipts[-1].number)
    for receipt, done in zip(receipts, found, strict=True):
        e.procs.says(done, "inclusion proof checked")
        if receipt is replaced:
            e.procs.says(done, "A later ballot of the same voter replaces it")
        elif "replaces it" in done.output:
            raise AssertionError("a ballot that counts is said to be replaced: " + done.output)


def close_and_count(e: Election, keyfiles: dict[int, Path], receipts: list[Receipt]) -> None:
    """Close now, the encrypted sums, decryption shares from the trustees who came (each
    checks the board first, and that it extends every head on the voters' receipts), tally,
    publish (the server verifies before publishing)."""
    e.organiser("election schedule {slug} --closes {now}", now=dt.datetime.now(dt.UTC).isoformat())
    e.advance("closed")
    e.organiser("election sum {slug}")
    present = [j for j in keyfiles if j != ABSENT]
    roles = [e.role(f"trustee-{j}") for j in present]
    done = e.procs.run_all(
        [argv("trustee decrypt --keyfile {k} --workers 1 --no-progress", k=keyfiles[j])
         + [word for r in receipts for word in ("--expect-head", r.head)] for j in present],
        [env for env, _home in roles], [home for _env, home in roles], timeout=90,
    )  # fmt: skip
    for result in done:  # open, 5 ballots (one a re-vote), close: 7 leaves, 4 ballots count
        e.procs.says(
            result, "Board checked: 7 leaves, 4 ballots count", "Decryption shares sent: 18."
        )  # 2 districts × (a seat of 4 options + the council of 5)
    e.advance("tallied")
    e.advance("published")


def verify(e: Election, record: Path) -> tuple[int, dict[str, Any]]:
    """`saylau verify --json` by an observer who has only the record."""
    done = e.run_as(
        "observer", "verify {r} --workers 1 --no-progress --json", r=record, timeout=90, check=False
    )
    try:
        return done.returncode, json.loads(done.stdout)
    except ValueError:
        raise AssertionError("no JSON report: " + e.procs.describe(done)) from None


def forge(record_zip: bytes, into: Path) -> Path:
    """The record with one vote more announced for the first seat's candidate 1, its file
    digests recomputed (as a forger would), unpacked into `into`."""
    zipfile.ZipFile(io.BytesIO(record_zip)).extractall(into)
    record = next(into.rglob("record.json")).parent
    results = json.loads((record / "results.json").read_text())
    seat = f"{DISTRICTS[0].lower()}-seat"
    results["districts"][DISTRICTS[0]]["contests"][seat][f"{seat}-1"] += 1
    (record / "results.json").write_bytes(canonical_json(results))
    index = json.loads((record / "record.json").read_text())
    for name in index["files"]:
        index["files"][name] = hashlib.sha256((record / name).read_bytes()).hexdigest()
    (record / "record.json").write_bytes(canonical_json(index))
    return record


def download_and_verify(e: Election, expected: dict[str, Any]) -> None:
    """The record over HTTP; `saylau verify` re-derives the voters' result from it; the
    forged copy fails with a non-zero exit and a `results` failure only."""
    answer = httpx.get(f"{e.url}/api/voting/{SLUG}/record", timeout=e.procs.deadline.left(30))
    assert answer.status_code == 200, answer.text[:500]
    home = e.role("observer")[1]
    (home / "record.zip").write_bytes(answer.content)
    code, report = verify(e, home / "record.zip")
    assert code == 0 and report["ok"], report["failures"]
    assert {d: r["contests"] for d, r in report["results"].items()} == expected

    code, report = verify(e, forge(answer.content, home / "forged"))
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
    expected, receipts = vote(e, people, codes)
    close_and_count(e, keyfiles, receipts)
    find_ballots(e, receipts)
    download_and_verify(e, expected)
    assert sms_gateway.refused == 0
    log = (server / "granian.log").read_text(errors="replace")
    leaks = sum(secret in log for secret in redact.secrets)
    assert leaks == 0, "an IIN or a phone number is in the server's log"
