"""``saylau demo …``: a DEMO primaries election on this machine, served at 127.0.0.1:8000.

saylau demo setup [--fresh]      migrate var/, 240 synthetic members in 3 districts, roll,
                                 election, key ceremony and CA played here, voting open;
                                 prints how to vote (also in var/demo/<slug>/how-to-vote.txt)
saylau demo info                 print those instructions again
saylau demo outbox [--all]       the development outbox (SMS to the demo voters, or all)
saylau demo serve                the site on 127.0.0.1:8000 (SAYLAU_DEBUG=1), new SMS echoed here
saylau demo decrypt              the demo trustees 1 and 3 send decryption shares (after closing)
saylau demo finish               close now, decrypt (2 of 3 trustees), tally, publish, verify
saylau demo check                smoke test: serve in the background, sign in and cast over
                                 HTTP with the Python client, finish, verify, stop

Every trustee and the credential authority are played by this one process: a real election
never does this (see saylau.elections.demo).
"""

from __future__ import annotations

import json
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console

if TYPE_CHECKING:
    from saylau.elections.demo_setup import DemoElection

app = typer.Typer(
    name="demo",
    help="DEMO: a primaries election on this machine (trustees and CA played in process).",
    no_args_is_help=True,
)
console = Console(highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False, soft_wrap=True)

HOST, PORT = "127.0.0.1", 8000
SlugOpt = Annotated[str, typer.Option("--slug", help="The demo election's id.")]
UrlOpt = Annotated[
    str, typer.Option("--url", help="Where the site is served (for the printed links).")
]
BANNER = "=" * 25 + " DEMO — not a real election " + "=" * 25


def _django() -> None:
    # The demo site runs with SAYLAU_DEBUG=1 (the dev outbox page); use the same settings here.
    os.environ.setdefault("SAYLAU_DEBUG", "1")
    from saylau.site.bootstrap import setup_django

    setup_django()
    from django.utils import translation

    translation.activate("en")


def _require_setup() -> None:
    """Refuse clearly (no traceback) when `saylau demo setup` has not run on this database."""
    from django.db import connection

    if "elections_election" not in connection.introspection.table_names():
        raise _fail("There is no demo database here yet: run `saylau demo setup` first.")


def _fail(message: str, code: int = 2) -> typer.Exit:
    errors.print(f"[red]{message}[/red]")
    return typer.Exit(code)


def _shown(path: Path) -> str:
    """A path as the user can type it: relative to the current directory when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _saylau(database: bool = True) -> str:
    """How to run this command again: .venv/bin/saylau when that is what runs now, with
    SAYLAU_VAR_DIR when it is set (commands that use the database)."""
    exe = Path(sys.argv[0])
    command = _shown(exe) if exe.name == "saylau" and exe.exists() else "saylau"
    var_dir = os.environ.get("SAYLAU_VAR_DIR")
    if database and var_dir:
        return f"SAYLAU_VAR_DIR={shlex.quote(_shown(Path(var_dir)))} {command}"
    return command


# --- the instructions --------------------------------------------------------------------


def vote_command(info: DemoElection, url: str, number: int = 1) -> str:
    voter = info.voters[number - 1]
    receipt = info.directory / f"receipt-{voter.number}.json"
    args = [
        _saylau(database=False),
        "vote",
        "cast",
        url,
        info.slug,
        "--iin",
        voter.iin,
        "--phone",
        voter.phone,
        "--credential",
        voter.credential,
        "--choices",
        _shown(voter.choices),
        "--receipt",
        _shown(receipt),
        "--language",
        "en",
    ]
    return " ".join([args[0], shlex.join(args[1:])])


def _local(moment: Any) -> str:
    from django.utils import timezone

    if moment is None:
        return "—"
    try:
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")
    except OverflowError:  # a time stored before such times were refused
        return moment.isoformat()


def _steps(saylau: str, slug: str, record: str) -> list[str]:
    steps = [
        (f'election schedule {slug} --closes "$(date -Iseconds)"', "close early: now"),
        (f"election advance {slug}", "→ closed"),
        (f"election sum {slug}", "the encrypted sums"),
        ("demo decrypt", "DEMO trustees 1 and 3 (2 of 3) send decryption shares"),
        (f"election advance {slug}", "→ tallied"),
        (f"election advance {slug}", "→ published (verified before publication)"),
        (f"verify {record}", "anyone, with the record only"),
    ]
    width = max(len(command) for command, _note in steps)
    return [f"      {saylau} {command.ljust(width)}  # {note}" for command, note in steps]


def instructions(info: DemoElection, url: str = f"http://{HOST}:{PORT}") -> str:
    """What a person needs to try the demo: where to sign in, with what, and what next."""

    from saylau.elections.publication import record_zip
    from saylau.elections.services import get_election

    saylau = _saylau()
    slug = info.slug
    lines = [BANNER]
    if not info.voters:
        lines.append(f"The demo election {slug} has no demo voters (the CA's file is missing).")
        return "\n".join([*lines, "=" * len(BANNER)])
    voter = info.voters[0]
    closes = _local(info.closes_at)
    districts = ", ".join(f"{code}: {n}" for code, n in sorted(info.districts.items()))
    record = _shown(record_zip(get_election(slug)))
    how_to = _shown(info.directory / "how-to-vote.txt")
    lines += [
        "Every trustee (3, threshold 2) and the credential authority were played by one",
        "process on this machine. A real election never does this.",
        "",
        f"Election {slug} ({info.status}): {info.members} members in {len(info.districts)} "
        f"districts ({districts}); voting closes {closes}.",
        "",
        f"1. Start the site:  {saylau} demo serve      (make demo does it; Ctrl-C stops it)",
        f"2. Open {url}/en/vote/{slug}/      (Kazakh: /kk/…, Russian: /ru/…)",
        "   and sign in with the DEMO voter",
        f"      IIN:   {voter.iin}",
        f"      phone: {voter.phone}",
        f"   The 6-digit sign-in code is an SMS: it appears at {url}/dev/outbox",
        f"   and in the terminal that runs `{saylau} demo serve`.",
        f"3. The voter's credential code (the CA's SMS at setup): {voter.credential}",
        f"   It is in the outbox ({url}/dev/outbox) and in {how_to}.",
        "4. Vote from a terminal (the browser booth comes in a later issue): it encrypts and",
        "   signs the ballot here, casts it, and checks the receipt; it asks for the SMS code:",
        f"      {vote_command(info, url, 1)}",
        "   Leave out --choices to pick candidates on screen. A new code can be asked for once",
        "   a minute per IIN: after a browser sign-in wait a minute, or use another voter below.",
        f"5. Public board: {url}/en/board/{slug}/  (counts …/counts/, results …/results/)",
        f"   API: {url}/api/voting/{slug}/board   OpenAPI: {url}/api/docs",
        f"   `{_saylau(database=False)} vote board {url} {slug}` checks the board's signed head.",
        "6. End the election, count and check the record:",
        f"      {saylau} demo finish",
        "   which is, step by step (the organiser's commands and the demo trustees):",
        *_steps(saylau, slug, record),
        "",
        "Other demo voters (IIN, phone, district, credential code):",
    ]
    for other in info.voters[1:]:
        lines.append(f"   {other.iin}  {other.phone}  {other.district}  {other.credential}")
        lines.append(f"      {vote_command(info, url, other.number)}")
    lines.append("=" * len(BANNER))
    return "\n".join(lines)


def _write_instructions(info: DemoElection, url: str) -> Path:
    path = info.directory / "how-to-vote.txt"
    path.write_text(instructions(info, url) + "\n", encoding="utf-8")
    return path


# --- setup -------------------------------------------------------------------------------


def _forget(slug: str) -> None:
    """Delete the demo's SQLite database and its files under SAYLAU_VAR_DIR."""
    from django.conf import settings
    from django.db import connections

    database = settings.DATABASES["default"]
    var_dir = Path(settings.VAR_DIR).resolve()
    name = Path(str(database.get("NAME", "")))
    if database["ENGINE"] != "django.db.backends.sqlite3" or not name.resolve().is_relative_to(
        var_dir
    ):
        raise _fail(
            f"--fresh only deletes a SQLite database under {var_dir} (this one is elsewhere)."
        )
    connections.close_all()
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{name}{suffix}").unlink(missing_ok=True)
    for folder in (var_dir / "demo" / slug, var_dir / "records" / slug):
        shutil.rmtree(folder, ignore_errors=True)
    console.print(f"DEMO: removed {_shown(name)} and the demo's files; starting afresh.")


@app.command("setup")
def setup(
    fresh: Annotated[
        bool,
        typer.Option(
            "--fresh", help="Delete the SQLite database under var/ first (stop the server)."
        ),
    ] = False,
    members: Annotated[int, typer.Option(min=200, help="Synthetic members (3 districts).")] = 240,
    slug: SlugOpt = "demo-primaries",
    url: UrlOpt = f"http://{HOST}:{PORT}",
) -> None:
    """Set up (or resume) the demo election and open voting; prints how to vote."""
    _django()
    from saylau.elections import demo_setup
    from saylau.elections.models import Election

    if not fresh:
        demo_setup.migrate()
        if demo_setup.ended(slug):
            if Election.objects.exclude(slug=slug).exists():
                raise _fail(
                    f"The demo election {slug} has ended and this database holds other "
                    "elections too: run `saylau demo setup --fresh` to delete it and start over."
                )
            console.print(f"DEMO: the demo election {slug} has ended; starting a new one.")
            fresh = True
    if fresh:
        _forget(slug)

    def say(message: str) -> None:
        console.print(f"[dim]demo setup:[/dim] {message}")

    import logging

    logging.getLogger("saylau.notify").setLevel(logging.WARNING)  # not 240 lines of "SMS put …"
    started = time.perf_counter()
    info = demo_setup.setup(slug=slug, count=members, say=say)
    path = _write_instructions(info, url)
    say(f"ready in {time.perf_counter() - started:.1f} s; instructions in {_shown(path)}")
    console.print(instructions(info, url), markup=False)


@app.command("info")
def info(slug: SlugOpt = "demo-primaries", url: UrlOpt = f"http://{HOST}:{PORT}") -> None:
    """Print the demo's instructions again."""
    _django()
    _require_setup()
    from saylau.elections import demo_setup
    from saylau.site.errors import UserError

    try:
        found = demo_setup.describe(slug)
    except UserError as error:
        raise _fail(f"{error} Run `saylau demo setup` first.") from None
    console.print(instructions(found, url), markup=False)


@app.command("outbox")
def outbox(
    show_all: Annotated[
        bool, typer.Option("--all", help="Every message, not only the demo voters'.")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, help="At most this many (the latest).")] = 10,
    slug: SlugOpt = "demo-primaries",
) -> None:
    """The development outbox: SMS to the demo voters (credential and sign-in codes)."""
    _django()
    _require_setup()
    from django.utils import timezone

    from saylau.elections import demo_setup
    from saylau.notify import outbox as notify_outbox
    from saylau.notify.models import OutboxMessage
    from saylau.registry import phone as phone_rules
    from saylau.site.errors import UserError

    total = OutboxMessage.objects.count()
    if show_all:
        console.print(f"DEMO development outbox: the latest {min(limit, total)} of {total} SMS")
        notify_outbox.print_outbox(sys.stdout, limit)
        return
    try:
        phones = [phone_rules.normalize(v.phone) for v in demo_setup.describe(slug).voters]
    except UserError as error:
        raise _fail(f"{error} Run `saylau demo setup` first.") from None
    mine = list(OutboxMessage.objects.filter(to__in=phones).order_by("-id")[:limit])
    console.print(
        f"DEMO development outbox: {total} SMS in all (every member got a credential code); "
        f"the latest {len(mine)} to the demo voters:"
    )
    for message in reversed(mine):
        at = timezone.localtime(message.created_at)
        sys.stdout.write(f"[{at:%H:%M:%S}] SMS to {message.to}: {message.body}\n")
    sys.stdout.flush()


# --- serving -----------------------------------------------------------------------------


def start_server(host: str, port: int, *, quiet: bool = False) -> subprocess.Popen[bytes]:
    """`runserver --noreload` in a child process, with SAYLAU_DEBUG=1."""
    env = dict(os.environ, SAYLAU_DEBUG="1", PYTHONUNBUFFERED="1")
    command = [
        sys.executable,
        "-m",
        "saylau.site.manage",
        "runserver",
        "--noreload",
        "--skip-checks",
        f"{host}:{port}",
    ]
    output = subprocess.DEVNULL if quiet else None
    return subprocess.Popen(command, env=env, stdout=output, stderr=output)


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 30.0) -> bool:
    import logging

    import httpx

    logging.getLogger("httpx").setLevel(logging.WARNING)

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            if httpx.get(f"{url}/api/health", timeout=2.0).status_code == 200:
                return True
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    return False


def stop_server(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


def _latest_sms_id() -> int:
    from saylau.notify.models import OutboxMessage

    latest = OutboxMessage.objects.order_by("-id").values_list("id", flat=True).first()
    return int(latest or 0)


def _echo_new_sms(after: int) -> int:
    from django.db import connection

    from saylau.notify.models import OutboxMessage

    for message in OutboxMessage.objects.filter(id__gt=after).order_by("id"):
        console.print(
            f"[bold yellow]DEMO SMS[/bold yellow] to {message.to}: {message.body}", soft_wrap=True
        )
        after = message.id
    connection.close()  # do not hold the SQLite file open between polls
    return after


def _reminder(url: str) -> str:
    """One line on how to start voting (the full instructions have scrolled away)."""
    from saylau.elections import demo_setup
    from saylau.site.errors import UserError

    try:
        found = demo_setup.describe(demo_setup.SLUG)
    except UserError:
        return "No demo election yet: run `saylau demo setup` in another terminal."
    if not found.voters:
        return "The demo election has no demo voters: run `saylau demo setup --fresh`."
    voter = found.voters[0]
    return (
        f"DEMO: sign in at {url}/en/vote/{found.slug}/ with IIN {voter.iin} and phone "
        f"{voter.phone} ({found.status}); `saylau demo info` shows the rest again."
    )


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = HOST,
    port: Annotated[int, typer.Option(help="Port.")] = PORT,
    echo_sms: Annotated[
        bool, typer.Option("--echo-sms/--no-echo-sms", help="Print each new SMS here.")
    ] = True,
) -> None:
    """Serve the site on 127.0.0.1:8000 until Ctrl-C; new SMS (sign-in codes) show here."""
    _django()
    from saylau.elections import demo_setup

    demo_setup.migrate()  # the site needs its tables even before `demo setup`
    url = f"http://{host}:{port}"
    seen = _latest_sms_id()
    process = start_server(host, port)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the child too, as Ctrl-C does
    try:
        if not wait_until_up(url, process):
            stop_server(process)
            raise _fail(f"The site did not start at {url} (is the port in use?).", 1)
        console.print(
            f"[bold]DEMO site at {url}/en/ — sign-in codes appear at {url}/dev/outbox "
            "and here. Ctrl-C stops it.[/bold]"
        )
        console.print(_reminder(url), markup=False)
        while process.poll() is None:
            if echo_sms:
                seen = _echo_new_sms(seen)
            time.sleep(0.5)
        raise typer.Exit(process.returncode or 0)
    except KeyboardInterrupt:
        console.print("\nDEMO site stopped.")
    finally:
        stop_server(process)


# --- the end -----------------------------------------------------------------------------


@app.command("decrypt")
def decrypt(
    trustee: Annotated[
        list[int] | None, typer.Option("--trustee", help="A present trustee (default: 1 and 3).")
    ] = None,
    slug: SlugOpt = "demo-primaries",
) -> None:
    """DEMO: after voting closed, the demo trustees send their decryption shares."""
    _django()
    _require_setup()
    from saylau.elections import demo, demo_setup
    from saylau.site.errors import UserError

    console.print(f"[bold yellow]{demo.warning()}[/bold yellow]")
    present = tuple(trustee or demo_setup.PRESENT)
    try:
        sent = demo_setup.decrypt(slug, present)
    except UserError as error:
        raise _fail(str(error)) from None
    console.print(f"Decryption shares sent by demo trustees: {', '.join(map(str, sent)) or '—'}.")


def _print_results(report: Any) -> None:
    for district, result in sorted((report.results or {}).items()):
        console.print(f"  {district}: {result.get('ballots_counted', '?')} ballots counted")
        for contest, options in result.get("contests", {}).items():
            marks = "  ".join(
                f"{option.removeprefix(contest + '-')}: {n}" for option, n in options.items()
            )
            console.print(f"     {contest}  {marks}")


@app.command("finish")
def finish(
    slug: SlugOpt = "demo-primaries",
    workers: Annotated[int, typer.Option(min=1, help="Verifier processes.")] = 1,
) -> None:
    """DEMO: close now, trustees 1 and 3 decrypt, tally, publish, verify the record."""
    _django()
    _require_setup()
    from saylau.elections import demo, demo_setup
    from saylau.site.errors import UserError

    console.print(f"[bold yellow]{demo.warning()}[/bold yellow]")
    try:
        path, report = demo_setup.finish(
            slug, say=lambda m: console.print(f"[dim]demo finish:[/dim] {m}"), workers=workers
        )
    except UserError as error:
        raise _fail(str(error)) from None
    console.print(f"Record: {_shown(path)}")
    _print_results(report)
    if not report.ok:
        for failure in report.failures:
            errors.print(f"[red]✗ {failure}[/red]")
        raise typer.Exit(1)
    console.print(f"[green]✓ the record verifies[/green]  (again: saylau verify {_shown(path)})")


# --- the smoke test ----------------------------------------------------------------------


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
    raise RuntimeError("no sign-in code arrived in the outbox")


def cast_one(url: str, info: DemoElection) -> tuple[int, str]:
    """Sign in a demo voter and cast their ballot through HTTP with the Python client;
    returns (voter number, tracking code). The receipt is checked by the client."""
    from saylau.client.voting import ClientError, VotingClient

    problem: ClientError | None = None
    for voter in info.voters:
        with VotingClient(url, info.slug, language="en") as client:
            try:
                before = _latest_sms_id()
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
    raise RuntimeError(f"no demo voter could sign in: {problem}")


@app.command("check")
def check(
    port: Annotated[int, typer.Option(help="Port for the background server.")] = 8765,
    slug: SlugOpt = "demo-primaries",
) -> None:
    """Smoke test (ends the demo election): serve, sign in and cast over HTTP, finish."""
    _django()
    _require_setup()
    import httpx

    from saylau.elections import demo_setup
    from saylau.site.errors import UserError

    try:
        info = demo_setup.describe(slug)
    except UserError as error:
        raise _fail(f"{error} Run `saylau demo setup` first.") from None
    if info.status != "open" or not info.voters:
        raise _fail(f"The demo election {slug} is not open: run `saylau demo setup` first.")
    url = f"http://{HOST}:{port}"
    process = start_server(HOST, port, quiet=True)
    try:
        if not wait_until_up(url, process):
            raise _fail(f"The site did not start at {url}.", 1)
        console.print(f"demo check: site up at {url}")
        page = httpx.get(f"{url}/en/vote/{slug}/", timeout=10)
        if page.status_code != 200:
            raise _fail(f"the sign-in page answered {page.status_code}", 1)
        number, tracking = cast_one(url, info)
        console.print(
            f"demo check: voter {number} cast a ballot over HTTP; tracking code {tracking}"
        )
        outbox_page = httpx.get(f"{url}/dev/outbox", timeout=10)
        if outbox_page.status_code != 200 or "your sign-in code" not in outbox_page.text:
            raise _fail("the development outbox does not show the sign-in code", 1)
        path, report = demo_setup.finish(slug)
        found = httpx.get(f"{url}/api/voting/{slug}/board/ballots/{tracking}", timeout=10)
        record = httpx.get(f"{url}/api/voting/{slug}/record", timeout=30)
        if found.status_code != 200 or record.status_code != 200:
            raise _fail(f"board look-up {found.status_code}, record {record.status_code}", 1)
    finally:
        stop_server(process)
    counted = sum(r.get("ballots_counted", 0) for r in (report.results or {}).values())
    if not report.ok or counted < 1:
        for failure in report.failures:
            errors.print(f"[red]✗ {failure}[/red]")
        raise _fail(f"demo check FAILED: {counted} ballots counted", 1)
    console.print(
        f"[green]demo check passed[/green]: {counted} ballot counted, record {_shown(path)} "
        "verifies, server stopped."
    )
