"""DEMO/BENCHMARK ONLY: an open election with N synthetic voters in a dedicated database, for
`saylau bench load`. Run in its own process (it sets Django up):

    DATABASE_URL=postgres://…/saylau_bench python -m saylau.bench.load_setup OUT.json --voters N

Migrates, imports N synthetic members spread over the districts, opens and closes the roll,
creates the election (IP policy `flag`: the load comes from one address), plays the trustees
and the credential authority in this process (saylau.demo.play) and opens voting. OUT.json
gets what the benchmark's voters need — each one's IIN, phone and *secret credential code*,
read from the in-process CA. A real CA never hands its codes to anyone; this is why it is a
benchmark path only.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

BENCH_SLUG = "bench-load"
DISTRICTS = ("KZ-75", "KZ-71", "KZ-79", "KZ-35", "KZ-55")
FREEZE = dt.date(2020, 9, 11)
OPTIONS = 12  # 11 candidates + "against all": the ballot of `saylau bench crypto`


def manifest(slug: str, districts: tuple[str, ...]) -> dict[str, Any]:
    """Per district one vote-for-1 contest of 12 options (names from the registry)."""

    def name(text: str) -> dict[str, str]:
        return {"kk": text, "ru": text, "en": text}

    contests, styles, rows = [], [], []
    for code in districts:
        cid = f"{code.lower()}-mazhilis"
        options: list[dict[str, Any]] = [
            {"id": f"{cid}-{k:02d}", "name": name(f"Candidate {k}"), "against_all": False}
            for k in range(1, OPTIONS)
        ]
        options.append({"id": f"{cid}-aa", "name": name("Against all"), "against_all": True})
        contests.append(
            {
                "id": cid,
                "name": name(f"{code} Mazhilis"),
                "min_marks": 1,
                "max_marks": 1,
                "options": options,
            }
        )
        styles.append({"id": f"{code.lower()}-style", "contests": [cid]})
        rows.append({"id": code, "ballot_style": f"{code.lower()}-style"})
    return {
        "election_id": slug,
        "title": name("Benchmark primaries"),
        "districts": rows,
        "ballot_styles": styles,
        "contests": contests,
    }


def members_csv(n: int, districts: tuple[str, ...], seed: int) -> bytes:
    """N synthetic members (saylau.registry.synth), dealt round-robin over the districts."""
    from saylau.registry import synth

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(synth.HEADER)
    for k, member in enumerate(synth.generate(n, seed=seed)):
        row = list(member.row())
        row[3] = districts[k % len(districts)]
        writer.writerow(row)
    return buffer.getvalue().encode("utf-8")


def build(voters: int, districts: int, seed: int) -> dict[str, Any]:
    from django.core.management import call_command

    from saylau.crypto.rand import DeterministicRng
    from saylau.demo import play as demo
    from saylau.elections import services as elections
    from saylau.elections.models import IpPolicy, Status
    from saylau.notify.models import OutboxMessage
    from saylau.registry import phone as phone_rules
    from saylau.registry import services as registry
    from saylau.registry.models import Member

    call_command("migrate", verbosity=0, interactive=False)
    codes = DISTRICTS[:districts]
    report = registry.import_members(members_csv(voters, codes, seed), source_name="bench.csv")
    if report.accepted != voters:
        raise SystemExit(f"only {report.accepted} of {voters} synthetic members were imported")
    registry.open_roll(BENCH_SLUG, FREEZE)
    registry.close_roll(BENCH_SLUG)
    election = elections.create_election(
        manifest(BENCH_SLUG, codes),
        actor="bench",
        trustees=3,
        threshold=2,
        ip_policy=IpPolicy.FLAG,
    )
    election = elections.transition(election, Status.ROLL_CLOSED, actor="bench")
    demo.run_ceremony_in_process(election, DeterministicRng(f"bench-dkg/{seed}"))
    election = elections.transition(election, Status.KEYS_READY, actor="bench")
    secrets_file = demo.issue_credentials_in_process(election, DeterministicRng(f"bench-ca/{seed}"))
    election = elections.transition(election, Status.CREDENTIALS_ISSUED, actor="bench")
    election = elections.transition(election, Status.OPEN, actor="bench")
    iins = dict(Member.objects.values_list("pk", "iin"))
    rows = [
        {
            "member": row["member"],
            "iin": iins[row["member"]],
            "phone": phone_rules.normalize(row["phone"]),
            "district": row["district"],
            "code": row["code"],  # the secret credential code: benchmark path only
        }
        for row in secrets_file.credentials
    ]
    # The benchmark's voters find their one-time codes in the outbox after this message.
    baseline = OutboxMessage.objects.order_by("-id").values_list("id", flat=True).first() or 0
    return {
        "slug": election.slug,
        "election_pk": election.pk,
        "manifest": election.manifest,
        "joint_public_key": election.joint_public_key,
        "fingerprint": election.fingerprint,
        "board_public_key": election.board_public_key,
        "outbox_baseline": baseline,
        "voters": rows,
    }


def open_in_subprocess(
    database_url: str,
    work: Path,
    secret_key: str,
    *,
    voters: int,
    districts: int = 3,
    seed: int = 0,
) -> dict[str, Any]:
    """Run this module in a process of its own against `database_url` (files under `work`)
    and return what it wrote: the open election and its voters (see `build`)."""
    out = work / "setup.json"
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        SAYLAU_VAR_DIR=str(work),
        SAYLAU_SECRET_KEY=secret_key,
        SAYLAU_LOG_LEVEL="WARNING",
    )
    command = [sys.executable, "-m", "saylau.bench.load_setup", str(out)]
    command += ["--voters", str(voters), "--districts", str(districts), "--seed", str(seed)]
    subprocess.run(command, env=env, check=True)
    result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return result


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--voters", type=int, required=True)
    parser.add_argument("--districts", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    if not 1 <= args.districts <= len(DISTRICTS):
        raise SystemExit(f"--districts: 1 to {len(DISTRICTS)}")

    from saylau.web.bootstrap import setup_django

    setup_django()
    result = build(args.voters, args.districts, args.seed)
    args.out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
