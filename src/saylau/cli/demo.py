"""``saylau demo …``: a DEMO primaries election on this machine, served at 127.0.0.1:8000.

saylau demo setup [--fresh]      migrate var/, 240 synthetic members in 3 districts, roll,
                                 election, key ceremony and CA played here, voting open;
                                 prints how to vote (also in var/demo/<slug>/how-to-vote.txt)
saylau demo info                 print those instructions again
saylau demo outbox [--all]       the development outbox (SMS to the demo voters, or all)
saylau demo serve                the site on 127.0.0.1:8000 (SAYLAU_DEBUG=1), new SMS echoed here
saylau demo decrypt              the demo trustees 1 and 3 send decryption shares (after closing)
saylau demo paper                before the close: the DEMO commissions mark who voted on
                                 paper (one member had voted online: a paper_override)
saylau demo finish               `demo paper` if not done, close now, decrypt (2 of 3
                                 trustees), tally, the paper protocols (double entry, scans,
                                 one recount), publish, verify; prints online + paper
saylau demo check                smoke test: serve in the background, sign in and cast over
                                 HTTP with the Python client, finish, verify, stop

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
from rich.console import Console
from rich.markup import escape

from saylau.cli.language import Lang
from saylau.demo.check import cast_one
from saylau.demo.instructions import HOST, PORT, instructions, shown, write_instructions
from saylau.demo.server import latest_sms_id, new_sms, start_server, stop_server, wait_until_up
from saylau.i18n import _, activate

app = typer.Typer(
    name="demo",
    help="DEMO: a primaries election on this machine (trustees and CA played in process).",
    no_args_is_help=True,
)
console = Console(highlight=False, soft_wrap=True)
errors = Console(stderr=True, highlight=False, soft_wrap=True)

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
        raise _fail(_("There is no demo database here yet: run `saylau demo setup` first."))


def _fail(message: str, code: int = 2) -> typer.Exit:
    errors.print(f"[red]{escape(message)}[/red]")
    return typer.Exit(code)


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
        raise _fail(str(error)) from None
    demo_setup.migrate()  # the site needs its tables even before `demo setup`
    url = f"http://{host}:{port}"
    seen = latest_sms_id()
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
    from saylau.errors import UserError

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


def _print_consolidation(report: Any) -> None:
    """Per district and contest: online + paper = total votes, and the winners."""
    consolidation = report.consolidation
    if consolidation is None:
        return
    console.print(_("Online and paper together (the consolidation):"), markup=False)
    for district, entry in sorted(consolidation["districts"].items()):
        for contest, found in entry["contests"].items():
            online, paper = sum(found["online"].values()), sum(found["paper"].values())
            winners = ", ".join(w.removeprefix(contest + "-") for w in found["winners"]) or "—"
            line = _(
                "%(district)s %(contest)s: votes online %(online)s + paper %(paper)s = "
                "%(total)s; winners: %(winners)s"
            ) % {
                "district": district,
                "contest": contest,
                "online": online,
                "paper": paper,
                "total": online + paper,
                "winners": winners,
            }
            if found["recount"]:
                line += " " + _("(recount flagged: margin %(margin)s)") % {
                    "margin": found["margin"]
                }
            console.print(f"  {line}", markup=False)


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
        raise _fail(str(error)) from None
    if done:
        console.print(
            _("Next: `saylau demo finish` closes voting and enters the protocols."), markup=False
        )
    elif election.status != Status.OPEN:
        raise _fail(
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
    from saylau.demo import play as demo
    from saylau.demo import setup as demo_setup
    from saylau.errors import UserError

    console.print(f"[bold yellow]{escape(demo.warning())}[/bold yellow]")
    step = escape(_("demo finish:"))
    try:
        path, report = demo_setup.finish(
            slug, say=lambda m: console.print(f"[dim]{step}[/dim] {escape(m)}"), workers=workers
        )
    except UserError as error:
        raise _fail(str(error)) from None
    console.print(_("Record: %(path)s") % {"path": shown(path)}, markup=False)
    _print_results(report)
    _print_consolidation(report)
    if not report.ok:
        _print_failures(report)
        raise typer.Exit(1)
    again = _("(again: saylau verify %(path)s)") % {"path": shown(path)}
    console.print(f"[green]✓ {escape(_('the record verifies'))}[/green]  {escape(again)}")


def _print_failures(report: Any) -> None:
    from saylau.cli.verify import failure_message

    for failure in report.failures:
        line = f"✗ [{failure.check}] {failure.item}: {failure_message(failure)}"
        errors.print(f"[red]{escape(line)}[/red]")


def _open_demo(slug: str) -> Any:
    """The demo election's description, refused clearly unless it is open with voters."""
    from saylau.demo import setup as demo_setup
    from saylau.errors import UserError

    try:
        info = demo_setup.describe(slug)
    except UserError as error:
        raise _fail(f"{error} " + _("Run `saylau demo setup` first.")) from None
    if info.status != "open" or not info.voters:
        raise _fail(
            _("The demo election %(slug)s is not open: run `saylau demo setup` first.")
            % {"slug": slug}
        )
    return info


def _vote_over_http(http: Any, url: str, lang: str, info: Any) -> str:
    """The sign-in page, a ballot cast over HTTP, the outbox; returns the tracking code."""
    page = http.request("GET", f"/{lang}/vote/{info.slug}/")
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
    return tracking


def _published_pages(http: Any, lang: str, slug: str, tracking: str) -> None:
    """The ballot on the board, the record and the consolidated results page answer."""
    found = http.request("GET", f"/api/voting/{slug}/board/ballots/{tracking}")
    record = http.request("GET", f"/api/voting/{slug}/record")
    results = http.request("GET", f"/{lang}/results/{slug}/")
    if {found.status_code, record.status_code, results.status_code} != {200}:
        raise _fail(
            _("board look-up: %(board)s, record: %(record)s, results: %(results)s")
            % {
                "board": found.status_code,
                "record": record.status_code,
                "results": results.status_code,
            },
            1,
        )


def _check_report(report: Any, path: Path) -> None:
    """The smoke test's verdict on the verified record: ballots counted, the paper part."""
    counted = sum(r.get("ballots_counted", 0) for r in (report.results or {}).values())
    stations = report.stats.get("paper_stations", 0)
    recounted = report.stats.get("paper_recounted", 0)
    if not report.ok or counted < 1 or stations != 2 or recounted != 1:
        _print_failures(report)
        raise _fail(
            _(
                "demo check FAILED: ballots counted: %(count)s, paper stations: %(stations)s, "
                "recounts: %(recounts)s"
            )
            % {"count": counted, "stations": stations, "recounts": recounted},
            1,
        )
    _print_consolidation(report)
    passed = _(
        "ballots counted: %(count)s; paper stations: %(stations)s (one override, one "
        "recount); the record %(path)s verifies; the server is stopped."
    ) % {"count": counted, "stations": stations, "path": shown(path)}
    console.print(f"[green]{escape(_('demo check passed'))}[/green]: {escape(passed)}")


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

    info = _open_demo(slug)
    url = f"http://{HOST}:{port}"
    process = start_server(HOST, port, quiet=True)
    http = Connection(url, timeout=30.0)
    try:
        if not wait_until_up(url, process):
            raise _fail(_("The site did not start at %(url)s.") % {"url": url}, 1)
        console.print(_("demo check: site up at %(url)s") % {"url": url}, markup=False)
        tracking = _vote_over_http(http, url, lang, info)
        step = escape(_("demo check:"))
        path, report = demo_setup.finish(
            slug, say=lambda m: console.print(f"[dim]{step}[/dim] {escape(m)}")
        )
        _published_pages(http, lang, slug, tracking)
    finally:
        http.close()
        stop_server(process)
    _check_report(report, path)
