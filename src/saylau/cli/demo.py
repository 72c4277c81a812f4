"""``saylau demo …``: a DEMO primaries election on this machine, served at 127.0.0.1:8000.

saylau demo setup [--fresh]      migrate var/, 240 synthetic members in 3 districts, roll,
                                 election, key ceremony and CA played here, voting open,
                                 2 named + 93 counting stations, observers, an exit poll;
                                 prints how to vote (also in var/demo/<slug>/how-to-vote.txt)
saylau demo info                 print those instructions again
saylau demo outbox [--all]       the development outbox (SMS to the demo voters, or all)
saylau demo serve                the site on 127.0.0.1:8000 (SAYLAU_DEBUG=1), new SMS echoed here
saylau demo decrypt              the demo trustees 1 and 3 send decryption shares (after closing)
saylau demo paper                before the close: the DEMO commissions mark who voted on
                                 paper (one member had voted online: a paper_override)
saylau demo finish               `demo paper` if not done, the exit poll's interviews, close
                                 now, decrypt (2 of 3 trustees), tally, the paper protocols
                                 (double entry, scans, one recount), the observers' copies,
                                 publish, verify; prints online + paper
saylau demo check                smoke test: serve in the background, sign in and cast over
                                 HTTP with the Python client, finish, verify, the analysis,
                                 PVT, discrepancy and exit poll pages show numbers, stop

Every trustee and the credential authority are played by this one process: a real election
never does this (see saylau.demo.play).
"""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from saylau.cli import demo_check
from saylau.cli.demo_output import (
    console,
    fail,
    print_consolidation,
    print_failures,
    print_results,
)
from saylau.cli.language import Lang
from saylau.demo.instructions import HOST, PORT, instructions, shown, write_instructions
from saylau.demo.server import latest_sms_id, new_sms, start_server, stop_server, wait_until_up
from saylau.i18n import _, activate

app = typer.Typer(
    name="demo",
    help="DEMO: a primaries election on this machine (trustees and CA played in process).",
    no_args_is_help=True,
)

SlugOpt = Annotated[str, typer.Option("--slug", help="The demo election's id.")]
UrlOpt = Annotated[
    str, typer.Option("--url", help="Where the site is served (for the printed links).")
]


def _django(lang: str | None) -> str:
    """Django set up as the demo site runs it, messages in `lang`; returns the language."""
    lang = activate(lang)
    # The demo site runs with SAYLAU_DEBUG=1 (the dev outbox page); use the same settings here.
    os.environ.setdefault("SAYLAU_DEBUG", "1")
    from saylau.web.bootstrap import setup_django

    setup_django()
    from django.utils import translation

    translation.activate(lang)  # the messages of saylau.elections (UserError, DEMO warning)
    return lang


def _require_setup() -> None:
    """Refuse clearly (no traceback) when `saylau demo setup` has not run on this database."""
    from django.db import connection

    if "elections_election" not in connection.introspection.table_names():
        raise fail(_("There is no demo database here yet: run `saylau demo setup` first."))


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
        raise fail(
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
        % {"path": shown(name)},
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
                raise fail(
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
    path = write_instructions(info, url, lang)
    say(
        _("ready in %(seconds)s s; instructions in %(path)s")
        % {"seconds": f"{time.perf_counter() - started:.1f}", "path": shown(path)}
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
    from saylau.errors import UserError

    try:
        found = demo_setup.describe(slug)
    except UserError as error:
        raise fail(f"{error} " + _("Run `saylau demo setup` first.")) from None
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
    from saylau.errors import UserError
    from saylau.notify import outbox as notify_outbox
    from saylau.notify.models import OutboxMessage
    from saylau.registry import phone as phone_rules

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
        raise fail(f"{error} " + _("Run `saylau demo setup` first.")) from None
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


def _interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt


def _echo_new_sms(after: int) -> int:
    for number, to, body in new_sms(after):
        sent = _("DEMO SMS to %(phone)s") % {"phone": to}
        console.print(f"[bold yellow]{escape(sent)}[/bold yellow]: {escape(body)}", soft_wrap=True)
        after = number
    return after


def _reminder(url: str, lang: str) -> str:
    """One line on how to start voting (the full instructions have scrolled away)."""
    from saylau.demo import setup as demo_setup
    from saylau.elections.models import Status
    from saylau.errors import UserError

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
    from saylau.site.env import LoopbackRequired, require_loopback_bind

    try:
        require_loopback_bind(host, debug=True)  # the demo site runs with SAYLAU_DEBUG=1
    except LoopbackRequired as error:
        raise fail(str(error)) from None
    demo_setup.migrate()  # the site needs its tables even before `demo setup`
    url = f"http://{host}:{port}"
    seen = latest_sms_id()
    process = start_server(host, port)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the child too, as Ctrl-C does
    try:
        if not wait_until_up(url, process):
            stop_server(process)
            raise fail(
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
    from saylau.demo import finish as demo_finish
    from saylau.demo import play as demo
    from saylau.demo import setup as demo_setup
    from saylau.errors import UserError

    console.print(f"[bold yellow]{escape(demo.warning())}[/bold yellow]")
    present = tuple(trustee or demo_setup.PRESENT)
    try:
        sent = demo_finish.decrypt(slug, present)
    except UserError as error:
        raise fail(str(error)) from None
    console.print(
        _("Decryption shares sent by demo trustees: %(trustees)s.")
        % {"trustees": ", ".join(map(str, sent)) or "—"},
        markup=False,
    )


@app.command("paper")
def paper(slug: SlugOpt = "demo-primaries", lang: Lang = None) -> None:
    """DEMO: before the close, the commissions mark who voted on paper (one of them had
    voted online: their ballot leaves the tally). `demo finish` does it too, then the
    protocols and a recount."""
    _django(lang)
    _require_setup()
    from saylau.demo import paper as demo_paper
    from saylau.elections.models import Status
    from saylau.elections.services import get_election
    from saylau.errors import UserError

    step = escape(_("demo paper:"))
    try:
        election = get_election(slug)
        done = demo_paper.mark_paper_votes(
            election, lambda m: console.print(f"[dim]{step}[/dim] {escape(m)}")
        )
    except UserError as error:
        raise fail(str(error)) from None
    if done:
        console.print(
            _("Next: `saylau demo finish` closes voting and enters the protocols."), markup=False
        )
    elif election.status != Status.OPEN:
        raise fail(
            _("Voting in %(slug)s is not open: who voted on paper is marked before the close.")
            % {"slug": slug}
        )
    else:
        console.print(
            _("Who voted on paper is already marked in %(slug)s.") % {"slug": slug},
            markup=False,
        )


@app.command("finish")
def finish(
    slug: SlugOpt = "demo-primaries",
    workers: Annotated[int, typer.Option(min=1, help="Verifier processes.")] = 1,
    lang: Lang = None,
) -> None:
    """DEMO: paper votes, close now, trustees 1 and 3 decrypt, tally, paper protocols,
    publish, verify the record."""
    _django(lang)
    _require_setup()
    from saylau.demo import finish as demo_finish
    from saylau.demo import play as demo
    from saylau.errors import UserError

    console.print(f"[bold yellow]{escape(demo.warning())}[/bold yellow]")
    step = escape(_("demo finish:"))
    from saylau.cli.progress import StageProgress

    try:
        with StageProgress(console) as progress:
            path, report = demo_finish.finish(
                slug,
                say=lambda m: console.print(f"[dim]{step}[/dim] {escape(m)}"),
                workers=workers,
                progress=progress,
            )
    except UserError as error:
        raise fail(str(error)) from None
    console.print(_("Record: %(path)s") % {"path": shown(path)}, markup=False)
    print_results(report)
    print_consolidation(report)
    if not report.ok:
        print_failures(report)
        raise typer.Exit(1)
    again = _("(again: saylau verify %(path)s)") % {"path": shown(path)}
    console.print(f"[green]✓ {escape(_('the record verifies'))}[/green]  {escape(again)}")


@app.command("check")
def check(
    port: Annotated[int, typer.Option(help="Port for the background server.")] = 8765,
    slug: SlugOpt = "demo-primaries",
    lang: Lang = None,
) -> None:
    """Smoke test (ends the demo election): serve, sign in and cast over HTTP, finish."""
    lang = _django(lang)
    _require_setup()
    demo_check.run(port, slug, lang)
