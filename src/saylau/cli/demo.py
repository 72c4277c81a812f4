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
never does this (see saylau.demo.play).
"""

from __future__ import annotations

import datetime as dt
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
from rich.markup import escape

from saylau.cli.language import Lang
from saylau.i18n import _, activate

if TYPE_CHECKING:
    from saylau.demo.setup import DemoElection

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


def _django(lang: str | None) -> str:
    """Django set up as the demo site runs it, messages in `lang`; returns the language."""
    lang = activate(lang)
    # The demo site runs with SAYLAU_DEBUG=1 (the dev outbox page); use the same settings here.
    os.environ.setdefault("SAYLAU_DEBUG", "1")
    from saylau.site.bootstrap import setup_django

    setup_django()
    from django.utils import translation

    translation.activate(lang)  # the messages of saylau.elections (UserError, DEMO warning)
    return lang


def _require_setup() -> None:
    """Refuse clearly (no traceback) when `saylau demo setup` has not run on this database."""
    from django.db import connection

    if "elections_election" not in connection.introspection.table_names():
        raise _fail(_("There is no demo database here yet: run `saylau demo setup` first."))


def _fail(message: str, code: int = 2) -> typer.Exit:
    errors.print(f"[red]{escape(message)}[/red]")
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


def vote_command(info: DemoElection, url: str, number: int = 1, lang: str = "en") -> str:
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
        lang,
    ]
    return " ".join([args[0], shlex.join(args[1:])])


def _local(moment: dt.datetime | None) -> str:
    from django.utils import timezone

    if moment is None:
        return "—"
    try:
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M %Z")
    except OverflowError:  # a time stored before such times were refused
        return moment.isoformat()


def _steps(saylau: str, slug: str, record: str) -> list[str]:
    steps = [
        (f'election schedule {slug} --closes "$(date -Iseconds)"', _("close early: now")),
        (f"election advance {slug}", _("→ closed")),
        (f"election sum {slug}", _("the encrypted sums")),
        ("demo decrypt", _("DEMO trustees 1 and 3 (2 of 3) send decryption shares")),
        (f"election advance {slug}", _("→ tallied")),
        (f"election advance {slug}", _("→ published (verified before publication)")),
        (f"verify {record}", _("anyone, with the record only")),
    ]
    width = max(len(command) for command, _note in steps)
    return [f"      {saylau} {command.ljust(width)}  # {note}" for command, note in steps]


def banner() -> str:
    return "=" * 25 + " " + _("DEMO — not a real election") + " " + "=" * 25


def instructions(info: DemoElection, url: str = f"http://{HOST}:{PORT}", lang: str = "en") -> str:
    """What a person needs to try the demo: where to sign in, with what, and what next."""

    from saylau.elections.models import Status
    from saylau.elections.publication import record_zip
    from saylau.elections.services import get_election

    saylau = _saylau()
    slug = info.slug
    top = banner()
    lines = [top]
    if not info.voters:
        lines.append(
            _("The demo election %(slug)s has no demo voters (the CA's file is missing).")
            % {"slug": slug}
        )
        return "\n".join([*lines, "=" * len(top)])
    voter = info.voters[0]
    districts = ", ".join(f"{code}: {n}" for code, n in sorted(info.districts.items()))
    values: dict[str, str | int] = {
        "slug": slug,
        "status": str(Status(info.status).label),
        "members": info.members,
        "count": len(info.districts),
        "districts": districts,
        "closes": _local(info.closes_at),
        "saylau": saylau,
        "saylau_vote": _saylau(database=False),
        "url": url,
        "lang": lang,
        "iin": voter.iin,
        "phone": voter.phone,
        "credential": voter.credential,
        "how_to": _shown(info.directory / "how-to-vote.txt"),
    }
    record = _shown(record_zip(get_election(slug)))
    vote = vote_command(info, url, 1, lang)
    text: list[tuple[str, str]] = [
        (
            "",
            _(
                "Every trustee (3, threshold 2) and the credential authority were played by "
                "one process on this machine. A real election never does this."
            ),
        ),
        ("", ""),
        (
            "",
            _(
                "Election %(slug)s (%(status)s): %(members)s members in %(count)s districts "
                "(%(districts)s); voting closes %(closes)s."
            ),
        ),
        ("", ""),
        ("1. ", _("Start the site: %(saylau)s demo serve  (make demo does it; Ctrl-C stops it)")),
        (
            "2. ",
            _(
                "Open %(url)s/%(lang)s/vote/%(slug)s/  "
                "(Kazakh: /kk/…, Russian: /ru/…, English: /en/…)"
            ),
        ),
        ("   ", _("and sign in with the DEMO voter")),
        ("      ", _("IIN: %(iin)s")),
        ("      ", _("phone: %(phone)s")),
        (
            "   ",
            _(
                "The 6-digit sign-in code is an SMS: it appears at %(url)s/dev/outbox and in "
                "the terminal that runs `%(saylau)s demo serve`."
            ),
        ),
        ("3. ", _("The voter's credential code (the CA's SMS at setup): %(credential)s")),
        ("   ", _("It is in the outbox (%(url)s/dev/outbox) and in %(how_to)s.")),
        (
            "4. ",
            _(
                "Vote from a terminal (the browser booth comes in a later issue): it encrypts "
                "and signs the ballot here, casts it, and checks the receipt; it asks for the "
                "SMS code:"
            ),
        ),
        ("      ", "%(vote)s"),
        (
            "   ",
            _(
                "Leave out --choices to pick candidates on screen. A new code can be asked for "
                "once a minute per IIN: after a browser sign-in wait a minute, or use another "
                "voter below."
            ),
        ),
        (
            "5. ",
            _(
                "Public board: %(url)s/%(lang)s/board/%(slug)s/  "
                "(counts …/counts/, results …/results/)"
            ),
        ),
        ("   ", _("API: %(url)s/api/voting/%(slug)s/board   OpenAPI: %(url)s/api/docs")),
        ("   ", _("`%(saylau_vote)s vote board %(url)s %(slug)s` checks the board's signed head.")),
        ("6. ", _("End the election, count and check the record:")),
        ("      ", "%(saylau)s demo finish"),
        ("   ", _("which is, step by step (the organiser's commands and the demo trustees):")),
    ]
    values["vote"] = vote
    lines += [(indent + line % values).rstrip() for indent, line in text]
    lines += [
        *_steps(saylau, slug, record),
        "",
        _("Other demo voters (IIN, phone, district, credential code):"),
    ]
    for other in info.voters[1:]:
        lines.append(f"   {other.iin}  {other.phone}  {other.district}  {other.credential}")
        lines.append(f"      {vote_command(info, url, other.number, lang)}")
    lines.append("=" * len(top))
    return "\n".join(lines)


def _write_instructions(info: DemoElection, url: str, lang: str) -> Path:
    path = info.directory / "how-to-vote.txt"
    path.write_text(instructions(info, url, lang) + "\n", encoding="utf-8")
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
            _("--fresh only deletes a SQLite database under %(path)s (this one is elsewhere).")
            % {"path": var_dir}
        )
    connections.close_all()
    for suffix in ("", "-journal", "-wal", "-shm"):
        Path(f"{name}{suffix}").unlink(missing_ok=True)
    for folder in (var_dir / "demo" / slug, var_dir / "records" / slug):
        shutil.rmtree(folder, ignore_errors=True)
    console.print(
        escape(_("DEMO: removed %(path)s and the demo's files; starting afresh."))
        % {"path": _shown(name)},
        markup=False,
    )


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
    lang: Lang = None,
) -> None:
    """Set up (or resume) the demo election and open voting; prints how to vote."""
    lang = _django(lang)
    from saylau.demo import setup as demo_setup
    from saylau.elections.models import Election

    if not fresh:
        demo_setup.migrate()
        if demo_setup.ended(slug):
            if Election.objects.exclude(slug=slug).exists():
                raise _fail(
                    _(
                        "The demo election %(slug)s has ended and this database holds other "
                        "elections too: run `saylau demo setup --fresh` to delete it and start "
                        "over."
                    )
                    % {"slug": slug}
                )
            console.print(
                _("DEMO: the demo election %(slug)s has ended; starting a new one.")
                % {"slug": slug},
                markup=False,
            )
            fresh = True
    if fresh:
        _forget(slug)

    def say(message: str) -> None:
        console.print(f"[dim]{escape(_('demo setup:'))}[/dim] {escape(message)}")

    import logging

    logging.getLogger("saylau.notify").setLevel(logging.WARNING)  # not 240 lines of "SMS put …"
    started = time.perf_counter()
    info = demo_setup.setup(slug=slug, count=members, say=say)
    path = _write_instructions(info, url, lang)
    say(
        _("ready in %(seconds)s s; instructions in %(path)s")
        % {"seconds": f"{time.perf_counter() - started:.1f}", "path": _shown(path)}
    )
    console.print(instructions(info, url, lang), markup=False)


@app.command("info")
def info(
    slug: SlugOpt = "demo-primaries", url: UrlOpt = f"http://{HOST}:{PORT}", lang: Lang = None
) -> None:
    """Print the demo's instructions again."""
    lang = _django(lang)
    _require_setup()
    from saylau.demo import setup as demo_setup
    from saylau.site.errors import UserError

    try:
        found = demo_setup.describe(slug)
    except UserError as error:
        raise _fail(f"{error} " + _("Run `saylau demo setup` first.")) from None
    console.print(instructions(found, url, lang), markup=False)


@app.command("outbox")
def outbox(
    show_all: Annotated[
        bool, typer.Option("--all", help="Every message, not only the demo voters'.")
    ] = False,
    limit: Annotated[int, typer.Option(min=1, help="At most this many (the latest).")] = 10,
    slug: SlugOpt = "demo-primaries",
    lang: Lang = None,
) -> None:
    """The development outbox: SMS to the demo voters (credential and sign-in codes)."""
    _django(lang)
    _require_setup()
    from django.utils import timezone

    from saylau.demo import setup as demo_setup
    from saylau.notify import outbox as notify_outbox
    from saylau.notify.models import OutboxMessage
    from saylau.registry import phone as phone_rules
    from saylau.site.errors import UserError

    total = OutboxMessage.objects.count()
    if show_all:
        console.print(
            _("DEMO development outbox: the latest %(shown)s of %(total)s SMS")
            % {"shown": min(limit, total), "total": total},
            markup=False,
        )
        notify_outbox.print_outbox(sys.stdout, limit)
        return
    try:
        phones = [phone_rules.normalize(v.phone) for v in demo_setup.describe(slug).voters]
    except UserError as error:
        raise _fail(f"{error} " + _("Run `saylau demo setup` first.")) from None
    mine = list(OutboxMessage.objects.filter(to__in=phones).order_by("-id")[:limit])
    console.print(
        _(
            "DEMO development outbox: %(total)s SMS in all (every member got a credential "
            "code); the latest %(shown)s to the demo voters:"
        )
        % {"total": total, "shown": len(mine)},
        markup=False,
    )
    for message in reversed(mine):
        at = timezone.localtime(message.created_at)
        sent = _("SMS to %(phone)s") % {"phone": message.to}
        sys.stdout.write(f"[{at:%H:%M:%S}] {sent}: {message.body}\n")
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
    from saylau.client.http import Connection, TransportError

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False
        try:
            with Connection(url, timeout=2.0) as http:
                if http.request("GET", "/api/health").status_code == 200:
                    return True
        except TransportError:
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
        sent = _("DEMO SMS to %(phone)s") % {"phone": message.to}
        console.print(
            f"[bold yellow]{escape(sent)}[/bold yellow]: {escape(message.body)}", soft_wrap=True
        )
        after = message.id
    connection.close()  # do not hold the SQLite file open between polls
    return after


def _reminder(url: str, lang: str) -> str:
    """One line on how to start voting (the full instructions have scrolled away)."""
    from saylau.demo import setup as demo_setup
    from saylau.elections.models import Status
    from saylau.site.errors import UserError

    try:
        found = demo_setup.describe(demo_setup.SLUG)
    except UserError:
        return _("No demo election yet: run `saylau demo setup` in another terminal.")
    if not found.voters:
        return _("The demo election has no demo voters: run `saylau demo setup --fresh`.")
    voter = found.voters[0]
    return _(
        "DEMO: sign in at %(url)s/%(lang)s/vote/%(slug)s/ with IIN %(iin)s and phone "
        "%(phone)s (%(status)s); `saylau demo info` shows the rest again."
    ) % {
        "url": url,
        "lang": lang,
        "slug": found.slug,
        "iin": voter.iin,
        "phone": voter.phone,
        "status": str(Status(found.status).label),
    }


@app.command("serve")
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = HOST,
    port: Annotated[int, typer.Option(help="Port.")] = PORT,
    echo_sms: Annotated[
        bool, typer.Option("--echo-sms/--no-echo-sms", help="Print each new SMS here.")
    ] = True,
    lang: Lang = None,
) -> None:
    """Serve the site on 127.0.0.1:8000 until Ctrl-C; new SMS (sign-in codes) show here."""
    lang = _django(lang)
    from saylau.demo import setup as demo_setup

    demo_setup.migrate()  # the site needs its tables even before `demo setup`
    url = f"http://{host}:{port}"
    seen = _latest_sms_id()
    process = start_server(host, port)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the child too, as Ctrl-C does
    try:
        if not wait_until_up(url, process):
            stop_server(process)
            raise _fail(
                _("The site did not start at %(url)s (is the port in use?).") % {"url": url}, 1
            )
        started = _(
            "DEMO site at %(url)s/%(lang)s/ — sign-in codes appear at %(url)s/dev/outbox "
            "and here. Ctrl-C stops it."
        ) % {"url": url, "lang": lang}
        console.print(f"[bold]{escape(started)}[/bold]")
        console.print(_reminder(url, lang), markup=False)
        while process.poll() is None:
            if echo_sms:
                seen = _echo_new_sms(seen)
            time.sleep(0.5)
        raise typer.Exit(process.returncode or 0)
    except KeyboardInterrupt:
        console.print("\n" + _("DEMO site stopped."), markup=False)
    finally:
        stop_server(process)


# --- the end -----------------------------------------------------------------------------


@app.command("decrypt")
def decrypt(
    trustee: Annotated[
        list[int] | None, typer.Option("--trustee", help="A present trustee (default: 1 and 3).")
    ] = None,
    slug: SlugOpt = "demo-primaries",
    lang: Lang = None,
) -> None:
    """DEMO: after voting closed, the demo trustees send their decryption shares."""
    _django(lang)
    _require_setup()
    from saylau.demo import play as demo
    from saylau.demo import setup as demo_setup
    from saylau.site.errors import UserError

    console.print(f"[bold yellow]{escape(demo.warning())}[/bold yellow]")
    present = tuple(trustee or demo_setup.PRESENT)
    try:
        sent = demo_setup.decrypt(slug, present)
    except UserError as error:
        raise _fail(str(error)) from None
    console.print(
        _("Decryption shares sent by demo trustees: %(trustees)s.")
        % {"trustees": ", ".join(map(str, sent)) or "—"},
        markup=False,
    )


def _print_results(report: Any) -> None:
    for district, result in sorted((report.results or {}).items()):
        counted = _("%(district)s: ballots counted: %(count)s") % {
            "district": district,
            "count": result.get("ballots_counted", "?"),
        }
        console.print(f"  {counted}", markup=False)
        for contest, options in result.get("contests", {}).items():
            marks = "  ".join(
                f"{option.removeprefix(contest + '-')}: {n}" for option, n in options.items()
            )
            console.print(f"     {contest}  {marks}", markup=False)


@app.command("finish")
def finish(
    slug: SlugOpt = "demo-primaries",
    workers: Annotated[int, typer.Option(min=1, help="Verifier processes.")] = 1,
    lang: Lang = None,
) -> None:
    """DEMO: close now, trustees 1 and 3 decrypt, tally, publish, verify the record."""
    _django(lang)
    _require_setup()
    from saylau.demo import play as demo
    from saylau.demo import setup as demo_setup
    from saylau.site.errors import UserError

    console.print(f"[bold yellow]{escape(demo.warning())}[/bold yellow]")
    step = escape(_("demo finish:"))
    try:
        path, report = demo_setup.finish(
            slug, say=lambda m: console.print(f"[dim]{step}[/dim] {escape(m)}"), workers=workers
        )
    except UserError as error:
        raise _fail(str(error)) from None
    console.print(_("Record: %(path)s") % {"path": _shown(path)}, markup=False)
    _print_results(report)
    if not report.ok:
        _print_failures(report)
        raise typer.Exit(1)
    again = _("(again: saylau verify %(path)s)") % {"path": _shown(path)}
    console.print(f"[green]✓ {escape(_('the record verifies'))}[/green]  {escape(again)}")


def _print_failures(report: Any) -> None:
    from saylau.cli.verify import failure_message

    for failure in report.failures:
        line = f"✗ [{failure.check}] {failure.item}: {failure_message(failure)}"
        errors.print(f"[red]{escape(line)}[/red]")


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
    raise RuntimeError(_("no sign-in code arrived in the outbox"))


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
    raise RuntimeError(_("no demo voter could sign in: %(problem)s") % {"problem": problem})


@app.command("check")
def check(
    port: Annotated[int, typer.Option(help="Port for the background server.")] = 8765,
    slug: SlugOpt = "demo-primaries",
    lang: Lang = None,
) -> None:
    """Smoke test (ends the demo election): serve, sign in and cast over HTTP, finish."""
    lang = _django(lang)
    _require_setup()
    from saylau.client.http import Connection
    from saylau.demo import setup as demo_setup
    from saylau.site.errors import UserError

    try:
        info = demo_setup.describe(slug)
    except UserError as error:
        raise _fail(f"{error} " + _("Run `saylau demo setup` first.")) from None
    if info.status != "open" or not info.voters:
        raise _fail(
            _("The demo election %(slug)s is not open: run `saylau demo setup` first.")
            % {"slug": slug}
        )
    url = f"http://{HOST}:{port}"
    process = start_server(HOST, port, quiet=True)
    http = Connection(url, timeout=30.0)
    try:
        if not wait_until_up(url, process):
            raise _fail(_("The site did not start at %(url)s.") % {"url": url}, 1)
        console.print(_("demo check: site up at %(url)s") % {"url": url}, markup=False)
        page = http.request("GET", f"/{lang}/vote/{slug}/")
        if page.status_code != 200:
            raise _fail(_("the sign-in page answered %(status)s") % {"status": page.status_code}, 1)
        number, tracking = cast_one(url, info)
        console.print(
            _("demo check: voter %(number)s cast a ballot over HTTP; tracking code %(code)s")
            % {"number": number, "code": tracking},
            markup=False,
        )
        outbox_page = http.request("GET", "/dev/outbox")
        outbox_text = outbox_page.content.decode("utf-8", "replace")
        if outbox_page.status_code != 200 or "your sign-in code" not in outbox_text:
            raise _fail(_("the development outbox does not show the sign-in code"), 1)
        path, report = demo_setup.finish(slug)
        found = http.request("GET", f"/api/voting/{slug}/board/ballots/{tracking}")
        record = http.request("GET", f"/api/voting/{slug}/record")
        if found.status_code != 200 or record.status_code != 200:
            raise _fail(
                _("board look-up: %(board)s, record: %(record)s")
                % {"board": found.status_code, "record": record.status_code},
                1,
            )
    finally:
        http.close()
        stop_server(process)
    counted = sum(r.get("ballots_counted", 0) for r in (report.results or {}).values())
    if not report.ok or counted < 1:
        _print_failures(report)
        raise _fail(_("demo check FAILED: ballots counted: %(count)s") % {"count": counted}, 1)
    passed = _(
        "ballots counted: %(count)s; the record %(path)s verifies; the server is stopped."
    ) % {"count": counted, "path": _shown(path)}
    console.print(f"[green]{escape(_('demo check passed'))}[/green]: {escape(passed)}")
