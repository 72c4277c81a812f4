"""``saylau trustee …``: a trustee's tool, run on the trustee's own machine.

saylau trustee init --server URL --election SLUG --index I --token T --keyfile FILE
saylau trustee ceremony --keyfile FILE [--wait]      (re-run until the ceremony is complete)
saylau trustee status --keyfile FILE
saylau trustee decrypt --keyfile FILE [--workers N]  (after voting closes: downloads and
                                                     checks the board, then decrypts its sums)

The key file holds this trustee's secrets (mode 0600); keep it offline between steps and
back it up: without t key files the election cannot be decrypted.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from saylau import trustee
from saylau.cli.progress import StageProgress
from saylau.client.seat import SeatClient, ServerError
from saylau.crypto.encoding import bytes_from_hex
from saylau.crypto.errors import InvalidEncoding
from saylau.crypto.rand import SystemRng
from saylau.i18n import _, activate

app = typer.Typer(
    name="trustee",
    help="Trustee: key ceremony and decryption shares, with your secrets kept on this machine.",
    no_args_is_help=True,
)
console = Console()
errors = Console(stderr=True)

KeyFileOpt = Annotated[Path, typer.Option("--keyfile", help="This trustee's key file (secret).")]
Lang = Annotated[str | None, typer.Option("--lang", help="Language of messages: kk, ru or en.")]


def _heads_seen(values: list[str]) -> dict[int, bytes]:
    """`SIZE:ROOT` (ROOT: 64 lowercase hex characters) → {size: root}."""
    seen: dict[int, bytes] = {}
    for value in values:
        size, _sep, root = value.partition(":")
        try:
            if not size.isdigit() or int(size) < 1:
                raise InvalidEncoding(size)
            seen[int(size)] = bytes_from_hex(root, 32, "root")
        except InvalidEncoding:
            raise _fail(
                _("--expect-head %(value)s: write SIZE:ROOT, the root as 64 hex characters.")
                % {"value": value}
            ) from None
    return seen


def _fail(message: str) -> typer.Exit:
    errors.print(f"[red]{message}[/red]")
    return typer.Exit(2)


def _client(kf: trustee.KeyFile, lang: str) -> SeatClient:
    return SeatClient(kf.server, kf.election, kf.token, lang=lang)


def _load(path: Path) -> trustee.KeyFile:
    try:
        return trustee.KeyFile.load(path)
    except trustee.TrusteeError as error:
        raise _fail(str(error)) from None


@app.command("init")
def init(
    server: Annotated[str, typer.Option(help="The election server, e.g. https://saylau.kz")],
    election: Annotated[str, typer.Option(help="The election id.")],
    index: Annotated[int, typer.Option(min=1, help="Your trustee number.")],
    token: Annotated[str, typer.Option(help="Your seat's token (from the organiser).")],
    keyfile: KeyFileOpt,
    force: Annotated[bool, typer.Option(help="Replace an existing key file.")] = False,
    lang: Lang = None,
) -> None:
    """Make your transport key and store it in a new key file (mode 0600)."""
    lang = activate(lang)
    if keyfile.exists() and not force:
        raise _fail(_("%(path)s exists; use --force to replace it.") % {"path": keyfile})
    try:
        with SeatClient(server, election, token, lang=lang) as client:
            kf = trustee.init_keyfile(client, server, index, token, SystemRng())
    except (ServerError, trustee.TrusteeError) as error:
        raise _fail(str(error)) from None
    kf.save(keyfile)
    console.print(
        _("Key file written: %(path)s (trustee %(index)d of %(n)d, threshold %(t)d).")
        % {"path": keyfile, "index": kf.index, "n": kf.n, "t": kf.t}
    )


@app.command("ceremony")
def ceremony(
    keyfile: KeyFileOpt,
    wait: Annotated[bool, typer.Option(help="Keep going until the ceremony is complete.")] = False,
    poll: Annotated[float, typer.Option(help="Seconds between checks with --wait.")] = 5.0,
    lang: Lang = None,
) -> None:
    """Do every ceremony step you can now: send the key, deal, open shares and complain,
    extract, disclose; when complete, check the transcript and store your key share."""
    lang = activate(lang)
    kf = _load(keyfile)
    try:
        with _client(kf, lang) as client:
            while True:
                phase, done = trustee.ceremony(client, kf, keyfile, SystemRng())
                for action in done:
                    console.print(f"• {action}")
                if phase == "complete" or not wait:
                    break
                time.sleep(poll)
    except (ServerError, trustee.TrusteeError) as error:
        raise _fail(str(error)) from None
    if kf.secret_share is not None:
        console.print(
            _("The ceremony is complete. Joint public key: %(key)s") % {"key": kf.joint_public_key}
        )
    else:
        console.print(_("Phase now: %(phase)s. Run this command again later.") % {"phase": phase})


@app.command("status")
def status(keyfile: KeyFileOpt, lang: Lang = None) -> None:
    """Show the ceremony's phase, who it waits for, and what this key file holds."""
    lang = activate(lang)
    kf = _load(keyfile)
    try:
        with _client(kf, lang) as client:
            state = client.get("/ceremony")
    except ServerError as error:
        raise _fail(str(error)) from None
    console.print(
        _("Election %(election)s, trustee %(index)d of %(n)d (threshold %(t)d).")
        % {"election": kf.election, "index": kf.index, "n": kf.n, "t": kf.t}
    )
    console.print(_("Phase: %(phase)s") % {"phase": state["phase"]})
    if state["waiting_for"]:
        waiting = ", ".join(str(j) for j in state["waiting_for"])
        console.print(_("Waiting for trustees: %(list)s") % {"list": waiting})
    if state["qual"]:
        console.print(_("Qualified dealers: %(list)s") % {"list": state["qual"]})
    if kf.secret_share:
        console.print(_("This key file holds your key share."))
    if kf.decrypted:
        console.print(_("Your decryption shares were sent."))


@app.command("decrypt")
def decrypt(
    keyfile: KeyFileOpt,
    workers: Annotated[
        int, typer.Option(help="Processes that check the ballots (default: all cores).")
    ] = 0,
    progress: Annotated[bool, typer.Option(help="Show a progress bar.")] = True,
    expect_head: Annotated[
        list[str] | None,
        typer.Option(
            "--expect-head",
            help="SIZE:ROOT of a signed head seen elsewhere (a voter's receipt, an observer, "
            "the board page earlier): the board must extend it. Repeatable.",
        ),
    ] = None,
    lang: Lang = None,
) -> None:
    """After voting closes: download the public board, check it (signed head, tree, every
    ballot, the re-vote rules, the heads seen elsewhere) and that the server's encrypted
    sums are exactly the sums of the ballots that count on it; only then compute decryption
    shares and send them."""
    lang = activate(lang)
    seen = _heads_seen(expect_head or [])
    kf = _load(keyfile)
    stages = {"board": _("board"), "ballots": _("ballots")}
    try:
        with (
            _client(kf, lang) as client,
            StageProgress(console, enabled=progress and sys.stdout.isatty()) as bar,
        ):
            manifest = client.get("")["manifest"]
            done = trustee.decrypt(
                client,
                kf,
                keyfile,
                manifest,
                SystemRng(),
                workers=workers or os.cpu_count() or 1,
                progress=lambda stage, n, total: bar(stages.get(stage, stage), n, total),
                seen=seen,
            )
    except (ServerError, trustee.TrusteeError) as error:
        raise _fail(str(error)) from None
    head = done.board.head
    console.print(
        _(
            "Board checked: %(leaves)d leaves, %(counted)d ballots count; signed tree head of "
            "size %(size)d, root %(root)s. Compare this root with the heads observers hold."
        )
        % {
            "leaves": done.board.leaves,
            "counted": done.board.counted,
            "size": head.tree_size,
            "root": head.root_hash.hex(),
        }
    )
    console.print(_("Decryption shares sent: %(n)d.") % {"n": done.shares})
