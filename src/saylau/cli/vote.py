"""``saylau vote …``: vote from a terminal with the Python client (no Django, no database).

saylau vote cast https://primaries.example.kz primaries-2020        (prompts for everything)
saylau vote cast URL ELECTION --iin … --phone … --choices choices.json --receipt receipt.json
saylau vote find URL ELECTION TRACKING_CODE
saylau vote board URL ELECTION

`--language` (also `--lang`, `-l`: kk, ru or en; default SAYLAU_LANGUAGE, else kk) is the
language of everything printed here and of the server's answers. The credential code and the
choices never leave this machine: the ballot is encrypted and signed here.

The Python client (saylau.client) stays free of gettext: its own errors (status 0, and the
few it raises before asking the server) carry English text and a code; LOCAL_ERRORS below
turns them into translated messages, keeping a technical cause in English. The server's
errors arrive translated already (Accept-Language).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from saylau.cli.language import local_name
from saylau.client.voting import CastReceipt, ClientError, LocalError, VotingClient
from saylau.crypto.errors import SaylauCryptoError
from saylau.i18n import _, activate, gettext_noop
from saylau.protocol.canonical import canonical_json
from saylau.protocol.errors import InvalidCredential
from saylau.protocol.failures import MESSAGES, code_of
from saylau.protocol.manifest import Contest
from saylau.protocol.receipt import receipt_to_json

app = typer.Typer(
    name="vote",
    help="Vote with the Python client: sign in, encrypt locally, cast, check the receipt.",
    no_args_is_help=True,
)
console = Console()
errors = Console(stderr=True, soft_wrap=True)  # paths and tokens never broken

Server = Annotated[str, typer.Argument(help="The server's base URL, e.g. https://host")]
ElectionArg = Annotated[str, typer.Argument(help="The election id (slug)")]
Language = Annotated[
    str | None,
    typer.Option(
        "--language",
        "--lang",
        "-l",
        help="Language of messages and of the server's answers: kk, ru or en "
        "(default: SAYLAU_LANGUAGE, else kk).",
    ),
]

#: The client's own errors (saylau.client.voting.LocalError): code → the message shown here;
#: %(detail)s is the client's technical cause (English). tests/voting/test_vote_cli_i18n.py
#: checks that every code the client raises is here.
LOCAL_ERRORS: dict[str, str] = {
    "unreachable": gettext_noop("The server cannot be reached: %(detail)s"),
    "unavailable": gettext_noop("The server stayed busy. Please try again later."),
    "http": gettext_noop("The server answered with an error: HTTP %(detail)s."),
    "voting.not_open": gettext_noop("Voting in this election has not opened yet."),
    "election.invalid": gettext_noop("The server's election parameters are invalid: %(detail)s"),
    "election.fingerprint": gettext_noop(
        "The server's election fingerprint differs from the one computed here."
    ),
    "signin.no_challenge": gettext_noop("Ask for a sign-in code first."),
    "ballot.not_your_credential": gettext_noop(
        "This credential code is not yours: enter the code that was sent to you."
    ),
    "ballot.no_credential": gettext_noop("You have no voting credential for this election."),
    "receipt.other_tracking_code": gettext_noop(
        "The receipt does not prove that your ballot is on the board: it names another "
        "tracking code. Keep it as evidence."
    ),
    "receipt.other_leaf": gettext_noop(
        "The receipt does not prove that your ballot is on the board: it names another "
        "leaf. Keep it as evidence."
    ),
    "receipt.unverified": gettext_noop(
        "The receipt does not prove that your ballot is on the board (%(detail)s). "
        "Keep it as evidence."
    ),
    "board.unverified": gettext_noop("The board's answer does not verify: %(detail)s"),
    "board.forked": gettext_noop("The board shows two different roots for the same size."),
    "board.inconsistent": gettext_noop(
        "The board is not consistent with its earlier state: %(detail)s"
    ),
}

#: The kinds of board leaves, as the site's board page names them.
KINDS = {
    "open": gettext_noop("opening"),
    "cast": gettext_noop("ballot"),
    "revote": gettext_noop("new ballot (re-vote)"),
    "paper_override": gettext_noop("voted on paper"),
    "close": gettext_noop("closing"),
}


def client_error_message(error: ClientError) -> str:
    """The message of a client error in the active language: the client's own errors are
    translated here by code (their technical cause stays English); the server's came
    translated."""
    if isinstance(error, LocalError) and error.code in LOCAL_ERRORS:
        template = _(LOCAL_ERRORS[error.code])
        return template % {"detail": error.detail} if "%(" in template else template
    return error.message


def error_message(error: Exception) -> str:
    """What to tell the voter about `error` (a client error or a protocol problem found here)."""
    if isinstance(error, ClientError):
        return client_error_message(error)
    if isinstance(error, InvalidCredential):
        return _(
            "This is not a valid credential code (a typo?): check it against your SMS and "
            "enter it again."
        )
    code, params = code_of(error)
    try:
        return _(MESSAGES[code]) % params
    except (KeyError, ValueError, TypeError):
        return str(error)


def _fail(error: Exception) -> typer.Exit:
    errors.print(f"[red]{escape(error_message(error))}[/red]")
    return typer.Exit(2 if isinstance(error, ClientError) and error.status else 1)


def _ask_marks(contest: Contest, language: str) -> list[int]:
    console.print(f"\n[bold]{escape(local_name(contest.name, language) or contest.id)}[/bold]")
    for j, option in enumerate(contest.options, 1):
        console.print(f"  {j:>2}. {escape(local_name(option.name, language) or option.id)}")
    rule = {"min": contest.min_marks, "max": contest.max_marks}
    while True:
        text = typer.prompt(
            _("Option numbers (between %(min)s and %(max)s marks), separated by spaces") % rule,
            default="",
        )
        try:
            picked = {int(part) for part in text.replace(",", " ").split()}
        except ValueError:
            errors.print(
                f"[yellow]{escape(_('Type the numbers of the options, e.g. 1 3.'))}[/yellow]"
            )
            continue
        unknown = sorted(picked - set(range(1, len(contest.options) + 1)))
        if unknown:
            message = _("There is no option %(number)s.") % {"number": unknown[0]}
            errors.print(f"[yellow]{escape(message)}[/yellow]")
            continue
        marks = [1 if j in picked else 0 for j in range(1, len(contest.options) + 1)]
        try:
            contest.check_selection(marks)
        except SaylauCryptoError:
            if any(option.against_all for option in contest.options):
                message = _(
                    "Mark between %(min)s and %(max)s options; 'against all' cannot go "
                    "with any other mark."
                )
            else:
                message = _("Mark between %(min)s and %(max)s options.")
            errors.print(f"[yellow]{escape(message % rule)}[/yellow]")
            continue
        return marks


def ask_code() -> str:
    return str(typer.prompt(_("Code from the SMS")))


def _read_choices(path: Path) -> dict[str, Any]:
    try:
        selections = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        message = _("Cannot read the choices file %(path)s: %(detail)s")
        errors.print(f"[red]{escape(message % {'path': path, 'detail': error})}[/red]")
        raise typer.Exit(1) from None
    if not isinstance(selections, dict):
        message = _("The choices file %(path)s must hold {contest id: [0/1 per option]}.")
        errors.print(f"[red]{escape(message % {'path': path})}[/red]")
        raise typer.Exit(1)
    return selections


@app.command("cast")
def cast(
    server: Server,
    election: ElectionArg,
    iin: Annotated[str | None, typer.Option(help="Your IIN (prompted if absent)")] = None,
    phone: Annotated[
        str | None, typer.Option(help="Your mobile phone number (prompted if absent)")
    ] = None,
    credential: Annotated[
        str | None, typer.Option(help="Your credential code (prompted, hidden, if absent)")
    ] = None,
    choices: Annotated[
        Path | None, typer.Option(help="JSON file: {contest id: [0/1 per option]}")
    ] = None,
    receipt: Annotated[Path | None, typer.Option(help="Write the receipt here (JSON)")] = None,
    language: Language = None,
) -> None:
    """Sign in with IIN, phone and the SMS code, then encrypt, cast and check the receipt."""
    lang = activate(language)
    iin = iin or str(typer.prompt(_("IIN")))
    phone = phone or str(typer.prompt(_("Mobile phone number")))
    selections = _read_choices(choices) if choices is not None else None
    with VotingClient(server, election, language=lang) as client:
        try:
            info = client.election_info()
            sent = client.sign_in(*_api_spelling(iin, phone))
            console.print(sent.message, markup=False)
            client.verify(ask_code())
            code = credential or str(typer.prompt(_("Credential code"), hide_input=True))
            client.credential(code)  # a typo is caught before anything else is asked
            status = client.me()
            district = status.get("district")
            if not district:
                raise LocalError(403, "ballot.no_credential", "you have no credential here")
            if selections is None:
                selections = {
                    c.id: _ask_marks(c, lang) for c in info.manifest.contests_for(district)
                }
            ballot = client.encrypt(code, selections)
            result = client.cast(ballot)
        except (ClientError, SaylauCryptoError) as error:
            raise _fail(error) from None
    _report(result)
    if receipt is not None:
        _save_receipt(receipt, result)


def _report(result: CastReceipt) -> None:
    if result.replaces:
        done = _("Your ballot is on the board: leaf %(leaf)s; it replaces your ballot %(code)s.")
    else:
        done = _("Your ballot is on the board: leaf %(leaf)s, your first ballot.")
    console.print(
        done % {"leaf": result.leaf_index, "code": result.replaces}, style="green", markup=False
    )
    console.print(
        _("Tracking code: %(code)s") % {"code": result.receipt.tracking_code}, markup=False
    )
    console.print(_("The board's signature and the inclusion proof were checked."))


def _save_receipt(path: Path, result: CastReceipt) -> None:
    body = {
        "receipt": receipt_to_json(result.receipt),
        **{k: result.raw[k] for k in ("leaf_index", "kind", "time", "replaces")},
    }
    try:
        path.write_bytes(canonical_json(body) + b"\n")
    except OSError as error:
        message = _("Cannot write the receipt to %(path)s: %(detail)s")
        errors.print(f"[red]{escape(message % {'path': path, 'detail': error})}[/red]")
        raise typer.Exit(1) from None


@app.command("find")
def find(
    server: Server,
    election: ElectionArg,
    tracking_code: Annotated[str, typer.Argument(help="64 hex characters")],
    language: Language = None,
) -> None:
    """Find a ballot on the board and check its inclusion proof in the signed head now."""
    lang = activate(language)
    with VotingClient(server, election, language=lang) as client:
        try:
            body = client.find(tracking_code)
        except (ClientError, SaylauCryptoError) as error:
            raise _fail(error) from None
    leaf = body["leaf"]
    kind = KINDS.get(leaf["kind"])
    console.print(
        _("Leaf %(index)s of %(size)s (%(kind)s); inclusion proof checked.")
        % {
            "index": leaf["index"],
            "size": body["tree_head"]["tree_size"],
            "kind": _(kind) if kind else leaf["kind"],
        },
        markup=False,
    )
    if body.get("replaced_by"):
        console.print(
            _("A later ballot of the same voter replaces it: %(code)s.")
            % {"code": body["replaced_by"]},
            markup=False,
        )


@app.command("board")
def board_head(server: Server, election: ElectionArg, language: Language = None) -> None:
    """Show the board's signed tree head now (signature checked)."""
    lang = activate(language)
    with VotingClient(server, election, language=lang) as client:
        try:
            head = client.board_head()
        except (ClientError, SaylauCryptoError) as error:
            raise _fail(error) from None
    if head is None:
        console.print(_("The board is not open yet."))
        return
    table = Table(_("field"), _("value"), title=escape(election))
    table.add_row(_("tree size"), str(head.tree_size))
    table.add_row(_("timestamp (ms)"), str(head.timestamp))
    table.add_row(_("root hash"), head.root_hash.hex())
    table.add_row(_("signature"), head.signature.hex())
    console.print(table)


def _api_spelling(iin: str, phone: str) -> tuple[str, str]:
    """The IIN without spaces and the phone in E.164, as the API takes them (a number that
    does not normalise is sent as typed: the server says what is wrong with it)."""
    from saylau.registry import phone as phone_rules

    try:
        phone = phone_rules.normalize(phone)
    except phone_rules.PhoneError:
        pass
    return "".join(iin.split()), phone
