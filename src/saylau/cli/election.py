"""``saylau election …``: the organiser's commands, run on the server (a typer sub-app).

saylau election create manifest.yaml --trustees 3 --threshold 2 \
        --opens 2026-12-01T08:00 --closes 2026-12-03T20:00 --ip-policy strict
saylau election list
saylau election status SLUG
saylau election advance SLUG [--to STAGE]        (the next stage, every precondition checked)
saylau election schedule SLUG --opens … --closes …
saylau election tick                             (open / close what the schedule says)
saylau election close-phase SLUG                 (close a ceremony phase without silent trustees)
saylau election token SLUG --trustee I | --ca    (a new token for a seat)
saylau election sum SLUG                         (encrypted sums, after closing)
saylau election demo-keys SLUG / demo-credentials SLUG   (DEMO: play trustees / CA here)
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from saylau.cli.database import server_django

app = typer.Typer(
    name="election",
    help="Elections: create from a manifest, move through the lifecycle, schedule, tally.",
    no_args_is_help=True,
)
console = Console()
errors = Console(stderr=True, soft_wrap=True)  # paths and tokens never broken


def _out() -> Console:
    """A console made now, so it sees the terminal's width as it is (COLUMNS) at this call."""
    return Console(highlight=False)


ACTOR = "cli:" + (os.environ.get("USER") or "organiser")

Lang = Annotated[str | None, typer.Option("--lang", help="Language of messages: kk, ru or en.")]


def _when(value: str | None, option: str) -> dt.datetime | None:
    if not value:
        return None
    from django.utils import timezone
    from django.utils.translation import gettext as _

    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise _refuse(
            _("%(option)s: use a time like 2026-12-01T08:00") % {"option": option}
        ) from None
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def _refuse(message: str) -> typer.Exit:
    errors.print(f"[red]{escape(message)}[/red]")
    return typer.Exit(2)


def _fail(error: Exception) -> typer.Exit:
    errors.print(f"[red]{escape(str(error))}[/red]")
    return typer.Exit(2)


def _print_tokens(issued: list[Any]) -> None:
    """Each seat's token whole on a line of its own, at any terminal width: a token cut
    short (a table cell ending in "…") cannot be handed on."""
    from django.utils.translation import gettext as _

    out = _out()
    out.print(_("Seat tokens (shown this once; hand each to its holder):"), markup=False)
    for token in issued:
        if token.role == "ca":
            seat = _("Credential authority")
        else:
            seat = _("Trustee %(n)d") % {"n": token.index}
        named = token.name and token.name != seat
        label = f"{seat} ({token.name}):" if named else f"{seat}:"
        out.print(label, markup=False, soft_wrap=True)
        out.print(token.token, markup=False, soft_wrap=True)


def _user_errors() -> tuple[type[Exception], ...]:
    from saylau.errors import UserError

    return (UserError,)


@app.command("create")
def create(
    manifest: Annotated[Path, typer.Argument(help="The manifest file (YAML or JSON).")],
    trustees: Annotated[int, typer.Option(min=1, max=100, help="n: how many trustees.")] = 3,
    threshold: Annotated[int, typer.Option(min=1, help="t: how many can decrypt.")] = 2,
    opens: Annotated[str | None, typer.Option(help="When voting opens (ISO time).")] = None,
    closes: Annotated[str | None, typer.Option(help="When voting closes (ISO time).")] = None,
    ip_policy: Annotated[str, typer.Option(help="strict, limit or flag.")] = "strict",
    ip_limit: Annotated[int, typer.Option(help="Voters per IP per hour (limit).")] = 20,
    trustee_name: Annotated[
        list[str] | None, typer.Option("--trustee-name", help="Trustees' names, in order.")
    ] = None,
    lang: Lang = None,
) -> None:
    """Create a draft election from a manifest file (YAML or JSON); prints the seats' tokens
    (shown this once: hand each to its trustee, and the CA's to the CA)."""
    server_django(lang)
    from django.utils.translation import gettext as _

    from saylau.elections import services
    from saylau.registry.files import read_named_file

    if ip_policy not in ("strict", "limit", "flag"):
        raise _refuse(_("--ip-policy must be strict, limit or flag"))
    try:
        election = services.create_election_from_file(
            read_named_file(manifest),
            manifest.name,
            actor=ACTOR,
            trustees=trustees,
            threshold=threshold,
            opens_at=_when(opens, "--opens"),
            closes_at=_when(closes, "--closes"),
            ip_policy=ip_policy,
            ip_limit_per_hour=ip_limit,
            trustee_names=trustee_name or [],
        )
    except _user_errors() as error:
        raise _fail(error) from None
    console.print(_("Election %(slug)s created (draft).") % {"slug": election.slug})
    _print_tokens(election.issued_tokens)


@app.command("list")
def list_elections(lang: Lang = None) -> None:
    """Every election and its stage."""
    server_django(lang)
    from django.utils.translation import get_language
    from django.utils.translation import gettext as _

    from saylau.elections.models import Election

    table = Table(_("Election"), _("Title"), _("Stage"), _("Opens"), _("Closes"))
    for e in Election.objects.all():
        table.add_row(
            e.slug,
            e.title(get_language() or "kk"),
            e.get_status_display(),
            str(e.opens_at or ""),
            str(e.closes_at or ""),
        )
    console.print(table)


@app.command("status")
def status(slug: str, lang: Lang = None) -> None:
    """An election's stage, schedule, ceremony, credentials and tally."""
    server_django(lang)
    from django.utils.translation import gettext as _

    from saylau.elections import services, tallying
    from saylau.elections.models import PublicCredential, Tally

    try:
        election = services.get_election(slug)
    except _user_errors() as error:
        raise _fail(error) from None
    state = services.ceremony_state(election)
    console.print(f"{election.slug}: {election.get_status_display()}")
    console.print(_("Voting opens: %(at)s") % {"at": election.opens_at or "—"})
    console.print(_("Voting closes: %(at)s") % {"at": election.closes_at or "—"})
    console.print(_("Key ceremony: %(phase)s") % {"phase": state["phase"]})
    if state["waiting_for"]:
        console.print(
            _("Waiting for trustees: %(list)s")
            % {"list": ", ".join(str(j) for j in state["waiting_for"])}
        )
    if election.fingerprint:
        console.print(_("Fingerprint: %(fp)s") % {"fp": election.fingerprint})
    credentials = PublicCredential.objects.filter(election=election).count()
    console.print(_("Public credentials: %(n)d") % {"n": credentials})
    tally = Tally.objects.filter(election=election).first()
    if tally is not None:
        console.print(
            _("Decryption shares from trustees: %(list)s")
            % {"list": ", ".join(map(str, tallying.posted_by(election))) or "—"}
        )


@app.command("advance")
def advance(
    slug: str,
    to: Annotated[str | None, typer.Option(help="The stage to move to (the next one).")] = None,
    workers: Annotated[
        int, typer.Option(help="Verifier processes when publishing (0: one per core).")
    ] = 0,
    analysis: Annotated[
        bool,
        typer.Option(
            help="On publishing, compute the statistical checks of the results now, so that "
            "their public page is ready at its first visit."
        ),
    ] = True,
    lang: Lang = None,
) -> None:
    """Move the election to its next stage; every precondition is checked."""
    server_django(lang)
    from django.conf import settings
    from django.utils.translation import gettext as _

    from saylau.elections import lifecycle, services
    from saylau.elections.models import Status

    settings.SAYLAU_PUBLISH_VERIFY_WORKERS = workers if workers > 0 else os.cpu_count() or 1
    try:
        election = services.get_election(slug)
        target = to or lifecycle.next_status(election)
        if target is None:
            console.print(_("The election is published: there is no next stage."))
            return
        election = services.transition(election, target, actor=ACTOR)
    except _user_errors() as error:
        raise _fail(error) from None
    console.print(_("%(slug)s is now: %(stage)s") % {"slug": slug, "stage": election.status})
    if analysis and election.status == Status.PUBLISHED:
        warm_analysis(election)


def warm_analysis(election: Any) -> None:
    """The report of /<lang>/analysis/<slug>/ computed now (analysis.report_cache.warm)."""
    from django.utils.translation import gettext as _

    from saylau.analysis import report_cache

    console.print(_("Computing the statistical checks of the results (the analysis page)…"))
    failed = report_cache.warm(election)
    if failed is None:
        console.print(_("The statistical checks are ready."))
    else:
        console.print(
            _(
                "The statistical checks could not be computed now (%(error)s); their page will "
                "compute them at its first visit."
            )
            % {"error": failed},
            style="yellow",
        )


@app.command("schedule")
def schedule(
    slug: str,
    opens: Annotated[str | None, typer.Option(help="When voting opens (ISO time).")] = None,
    closes: Annotated[str | None, typer.Option(help="When voting closes (ISO time).")] = None,
    lang: Lang = None,
) -> None:
    """Set when voting opens and closes."""
    server_django(lang)
    from saylau.elections import services

    try:
        election = services.set_schedule(
            services.get_election(slug),
            _when(opens, "--opens"),
            _when(closes, "--closes"),
            actor=ACTOR,
        )
    except _user_errors() as error:
        raise _fail(error) from None
    console.print(f"{election.slug}: {election.opens_at} → {election.closes_at}")


@app.command("tick")
def tick(lang: Lang = None) -> None:
    """Open and close the elections whose scheduled time has come (safe to run every minute)."""
    server_django(lang)
    from saylau.elections import services

    for change in services.tick():
        mark = "✓" if change.done else "✗"
        console.print(f"{mark} {change.election}: {change.action} {change.problem}".rstrip())


@app.command("close-phase")
def close_phase(slug: str, lang: Lang = None) -> None:
    """Close the key ceremony's current phase without the trustees who stayed silent."""
    server_django(lang)
    from saylau.elections import services

    try:
        ceremony = services.force_ceremony_phase(services.get_election(slug), actor=ACTOR)
    except _user_errors() as error:
        raise _fail(error) from None
    console.print(f"{slug}: {ceremony.phase}")


@app.command("token")
def token(
    slug: str,
    trustee: Annotated[int | None, typer.Option(help="The trustee's number.")] = None,
    ca: Annotated[bool, typer.Option("--ca", help="The credential authority's seat.")] = False,
    lang: Lang = None,
) -> None:
    """Issue a new token for a seat (the old one stops working)."""
    server_django(lang)
    from django.utils.translation import gettext as _

    from saylau.elections import services

    if ca == (trustee is not None):
        raise _refuse(_("Give either --trustee I or --ca."))
    try:
        issued = services.reissue_token(
            services.get_election(slug), "ca" if ca else "trustee", trustee or 0, actor=ACTOR
        )
    except _user_errors() as error:
        raise _fail(error) from None
    _out().print(issued.token, markup=False, soft_wrap=True)


@app.command("sum")
def sum_ballots(slug: str, lang: Lang = None) -> None:
    """Compute the encrypted sums of the counted ballots (after voting closed)."""
    server_django(lang)
    from saylau.elections import services

    try:
        tally = services.prepare_tally(services.get_election(slug), actor=ACTOR)
    except _user_errors() as error:
        raise _fail(error) from None
    console.print(tally.counts)


@app.command("demo-keys")
def demo_keys(slug: str, lang: Lang = None) -> None:
    """DEMO ONLY: play every trustee in this process (a real election never does this)."""
    server_django(lang)
    from saylau.demo import play as demo
    from saylau.elections import services

    console.print(f"[bold yellow]{demo.warning()}[/bold yellow]")
    try:
        demo.run_ceremony_in_process(services.get_election(slug))
    except _user_errors() as error:
        raise _fail(error) from None
    console.print(f"{slug}: {services.get_election(slug).joint_public_key}")


@app.command("demo-credentials")
def demo_credentials(slug: str, lang: Lang = None) -> None:
    """DEMO ONLY: play the credential authority here; codes go to the development outbox."""
    server_django(lang)
    from django.utils.translation import gettext as _

    from saylau.crypto.rand import SystemRng
    from saylau.demo import play as demo
    from saylau.elections import services

    console.print(f"[bold yellow]{demo.warning()}[/bold yellow]")
    try:
        issued = demo.issue_credentials_in_process(services.get_election(slug), SystemRng())
    except _user_errors() as error:
        raise _fail(error) from None
    console.print(
        _("%(n)d credentials issued; the codes are in the development outbox (/dev/outbox).")
        % {"n": len(issued.credentials)}
    )
