"""``saylau vote …``: vote from a terminal with the Python client (no Django, no database).

saylau vote cast https://primaries.example.kz primaries-2020        (prompts for everything)
saylau vote cast URL ELECTION --iin … --phone … --choices choices.json --receipt receipt.json
saylau vote find URL ELECTION TRACKING_CODE
saylau vote board URL ELECTION

Server messages follow --language (kk, ru, en). The credential code and the choices never
leave this machine: the ballot is encrypted and signed here.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from saylau.client.voting import ClientError, VotingClient
from saylau.protocol.canonical import canonical_json
from saylau.protocol.errors import ProtocolError
from saylau.protocol.manifest import Contest
from saylau.protocol.receipt import receipt_to_json

app = typer.Typer(
    name="vote",
    help="Vote with the Python client: sign in, encrypt locally, cast, check the receipt.",
    no_args_is_help=True,
)
console = Console()
errors = Console(stderr=True)

Server = Annotated[str, typer.Argument(help="The server's base URL, e.g. https://host")]
ElectionArg = Annotated[str, typer.Argument(help="The election id (slug)")]
Language = Annotated[str, typer.Option("--language", "-l", help="kk, ru or en")]


def _fail(error: ClientError | ProtocolError) -> typer.Exit:
    errors.print(f"[red]{error}[/red]")
    return typer.Exit(2 if isinstance(error, ClientError) and error.status else 1)


def _ask_marks(contest: Contest, language: str) -> list[int]:
    console.print(f"\n[bold]{contest.name.get(language, contest.id)}[/bold]")
    for j, option in enumerate(contest.options, 1):
        console.print(f"  {j:>2}. {option.name.get(language, option.id)}")
    rule = f"between {contest.min_marks} and {contest.max_marks} marks"
    while True:
        text = typer.prompt(f"Option numbers ({rule}), separated by spaces", default="")
        try:
            picked = {int(part) for part in text.replace(",", " ").split()}
            marks = [1 if j in picked else 0 for j in range(1, len(contest.options) + 1)]
            if not picked <= set(range(1, len(contest.options) + 1)):
                raise ValueError("no such option")
            contest.check_selection(marks)
            return marks
        except (ValueError, ProtocolError) as error:
            errors.print(f"[yellow]{error}[/yellow]")


def ask_code() -> str:
    return str(typer.prompt("Code from the SMS"))


@app.command("cast")
def cast(
    server: Server,
    election: ElectionArg,
    iin: Annotated[str, typer.Option(prompt="IIN")],
    phone: Annotated[str, typer.Option(prompt="Mobile phone number")],
    credential: Annotated[
        str | None, typer.Option(help="Your credential code (prompted, hidden, if absent)")
    ] = None,
    choices: Annotated[
        Path | None, typer.Option(help="JSON file: {contest id: [0/1 per option]}")
    ] = None,
    receipt: Annotated[Path | None, typer.Option(help="Write the receipt here (JSON)")] = None,
    language: Language = "kk",
) -> None:
    """Sign in with IIN, phone and the SMS code, then encrypt, cast and check the receipt."""
    with VotingClient(server, election, language=language) as client:
        try:
            info = client.election_info()
            sent = client.sign_in(iin, phone)
            console.print(sent.message)
            client.verify(ask_code())
            code = credential or typer.prompt("Credential code", hide_input=True)
            status = client.me()
            district = status.get("district")
            if not district:
                raise ClientError(403, "ballot.no_credential", "you have no credential here")
            if choices is not None:
                selections: dict[str, Any] = json.loads(choices.read_text(encoding="utf-8"))
            else:
                selections = {
                    c.id: _ask_marks(c, language) for c in info.manifest.contests_for(district)
                }
            ballot = client.encrypt(code, selections)
            result = client.cast(ballot)
        except (ClientError, ProtocolError) as error:
            raise _fail(error) from None
    body = {
        "receipt": receipt_to_json(result.receipt),
        **{k: result.raw[k] for k in ("leaf_index", "kind", "time", "replaces")},
    }
    if receipt is not None:
        receipt.write_bytes(canonical_json(body) + b"\n")
    what = f"replacing {result.replaces}" if result.replaces else "your first ballot"
    console.print(f"[green]Your ballot is on the board[/green]: leaf {result.leaf_index} ({what}).")
    console.print(f"Tracking code: [bold]{result.receipt.tracking_code}[/bold]")
    console.print("The board's signature and the inclusion proof were checked.")


@app.command("find")
def find(
    server: Server,
    election: ElectionArg,
    tracking_code: Annotated[str, typer.Argument(help="64 hex characters")],
    language: Language = "kk",
) -> None:
    """Find a ballot on the board and check its inclusion proof in the signed head now."""
    with VotingClient(server, election, language=language) as client:
        try:
            body = client.find(tracking_code)
        except ClientError as error:
            raise _fail(error) from None
    leaf = body["leaf"]
    console.print(
        f"Leaf {leaf['index']} of {body['tree_head']['tree_size']} ({leaf['kind']}); "
        "inclusion proof checked."
    )
    if body.get("replaced_by"):
        console.print(f"A later ballot replaces it: {body['replaced_by']}")


@app.command("board")
def board_head(server: Server, election: ElectionArg, language: Language = "kk") -> None:
    """Show the board's signed tree head now (signature checked)."""
    with VotingClient(server, election, language=language) as client:
        try:
            head = client.board_head()
        except ClientError as error:
            raise _fail(error) from None
    if head is None:
        console.print("The board is not open yet.")
        return
    table = Table("field", "value", title=election)
    table.add_row("tree size", str(head.tree_size))
    table.add_row("timestamp (ms)", str(head.timestamp))
    table.add_row("root hash", head.root_hash.hex())
    table.add_row("signature", head.signature.hex())
    console.print(table)
