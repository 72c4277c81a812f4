"""``saylau ca …``: the credential authority's tool, run on the CA's own machine.

saylau ca issue --server URL --election SLUG --token CA_TOKEN --out-secrets FILE \
               --sms http --sms-url URL --sms-token T        (or SAYLAU_CA_SMS_URL / _TOKEN)
saylau ca resume --secrets FILE [--sms …]      (after an interruption: upload, confirm, send)
saylau ca status --secrets FILE
saylau ca destroy --secrets FILE               (once every code is sent)

`issue` fetches the closed roll (with phone numbers: keep this machine safe), makes one
credential per member, writes the secrets file (mode 0600), uploads only the public
credentials with the member mapping, confirms counts and list digest with the server, and
sends each member their code by SMS in their language. `--sms outbox` (demo and tests) puts
the messages in the server's development outbox and needs the server's settings here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from saylau.ca import issue as ca_client
from saylau.ca import sms as ca_sms
from saylau.client.seat import SeatClient, ServerError
from saylau.crypto.rand import SystemRng
from saylau.i18n import _, activate

app = typer.Typer(
    name="ca",
    help="Credential authority: make credentials, send them by SMS, upload the public list.",
    no_args_is_help=True,
)
console = Console()
errors = Console(stderr=True, soft_wrap=True)  # paths and tokens never broken

SecretsOpt = Annotated[Path, typer.Option("--secrets", help="The CA's secrets file.")]
Lang = Annotated[str | None, typer.Option("--lang", help="Language of messages: kk, ru or en.")]
SmsKind = Annotated[str, typer.Option("--sms", help="SMS: http (your provider) or outbox (demo).")]
SmsUrl = Annotated[str | None, typer.Option("--sms-url", envvar="SAYLAU_CA_SMS_URL")]
SmsToken = Annotated[str | None, typer.Option("--sms-token", envvar="SAYLAU_CA_SMS_TOKEN")]
SmsFrom = Annotated[str, typer.Option("--sms-sender", envvar="SAYLAU_CA_SMS_SENDER")]


def _fail(message: str) -> typer.Exit:
    errors.print(f"[red]{message}[/red]")
    return typer.Exit(2)


def _sender(kind: str, url: str | None, token: str | None, sender: str) -> ca_sms.SmsSender:
    if kind == "outbox":
        from saylau.web.bootstrap import setup_django

        setup_django()
        return ca_sms.OutboxSms()
    if kind == "http":
        if not url or not token:
            raise _fail(_("Give the SMS provider's --sms-url and --sms-token."))
        return ca_sms.HttpSms(url, token, sender)
    raise _fail(_("--sms must be http or outbox."))


def _progress() -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())


def _finish(
    client: SeatClient, sf: ca_client.SecretsFile, path: Path, sms: ca_sms.SmsSender
) -> None:
    with _progress() as progress:
        tasks: dict[str, TaskID] = {}
        labels = {"upload": _("Uploading public credentials"), "sms": _("Sending codes by SMS")}

        def tick(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = progress.add_task(labels[stage], total=total)
            progress.update(tasks[stage], completed=done)

        ca_client.upload(client, sf, path, tick)
        sent = ca_sms.send_codes(sf, path, sms, tick)
    console.print(
        _("Credentials: %(total)d; codes sent now: %(sent)d; not deliverable: %(failed)d.")
        % {"total": len(sf.credentials), "sent": sent, "failed": len(sf.failed)}
    )
    console.print(
        _("When every code is delivered, run: saylau ca destroy --secrets %(path)s")
        % {"path": path}
    )


@app.command("issue")
def issue(
    server: Annotated[str, typer.Option(help="The election server.")],
    election: Annotated[str, typer.Option(help="The election id.")],
    token: Annotated[str, typer.Option(envvar="SAYLAU_CA_TOKEN", help="The CA seat's token.")],
    out_secrets: Annotated[Path, typer.Option("--out-secrets", help="New secrets file.")],
    sms: SmsKind = "http",
    sms_url: SmsUrl = None,
    sms_token: SmsToken = None,
    sms_sender: SmsFrom = "saylau",
    lang: Lang = None,
) -> None:
    """Make the credentials for the closed roll, upload the public list, send the codes."""
    lang = activate(lang)
    if out_secrets.exists():
        raise _fail(
            _("%(path)s exists: use 'saylau ca resume' to continue with it.")
            % {"path": out_secrets}
        )
    sender = _sender(sms, sms_url, sms_token, sms_sender)
    try:
        with SeatClient(server, election, token, lang=lang) as client:
            sf = ca_client.make_credentials(client, server, token, out_secrets, SystemRng())
            console.print(
                _("%(n)d credentials made; secrets file: %(path)s")
                % {"n": len(sf.credentials), "path": out_secrets}
            )
            _finish(client, sf, out_secrets, sender)
    except (ServerError, ca_client.CaError) as error:
        raise _fail(str(error)) from None


@app.command("resume")
def resume(
    secrets: SecretsOpt,
    sms: SmsKind = "http",
    sms_url: SmsUrl = None,
    sms_token: SmsToken = None,
    sms_sender: SmsFrom = "saylau",
    lang: Lang = None,
) -> None:
    """Continue an interrupted issue: upload what is missing, confirm, send unsent codes."""
    lang = activate(lang)
    sender = _sender(sms, sms_url, sms_token, sms_sender)
    try:
        sf = ca_client.SecretsFile.load(secrets)
        with SeatClient(sf.server, sf.election, sf.token, lang=lang) as client:
            _finish(client, sf, secrets, sender)
    except (ServerError, ca_client.CaError) as error:
        raise _fail(str(error)) from None


@app.command("status")
def status(secrets: SecretsOpt, lang: Lang = None) -> None:
    """What the secrets file holds and what the server has."""
    lang = activate(lang)
    try:
        sf = ca_client.SecretsFile.load(secrets)
        with SeatClient(sf.server, sf.election, sf.token, lang=lang) as client:
            remote = client.get("/ca")
    except (ServerError, ca_client.CaError) as error:
        raise _fail(str(error)) from None
    unsent = sum(1 for r in sf.credentials if not r["sent"])
    console.print(
        _("Election %(election)s: %(total)d credentials, %(unsent)d codes not sent yet.")
        % {"election": sf.election, "total": len(sf.credentials), "unsent": unsent}
    )
    console.print(
        _("The server holds %(stored)d public credentials; upload complete: %(done)s.")
        % {"stored": remote["stored"], "done": _("yes") if remote["finished"] else _("no")}
    )


@app.command("destroy")
def destroy(
    secrets: SecretsOpt,
    force: Annotated[bool, typer.Option(help="Destroy even if codes are unsent.")] = False,
    lang: Lang = None,
) -> None:
    """Overwrite and delete the secrets file (after every code is sent)."""
    activate(lang)
    try:
        sf = ca_client.SecretsFile.load(secrets)
    except ca_client.CaError as error:
        raise _fail(str(error)) from None
    if (any(not r["sent"] for r in sf.credentials) or not sf.completed) and not force:
        raise _fail(_("Some codes are not sent or the upload is not complete; use --force."))
    ca_client.destroy(secrets)
    console.print(_("The secrets file is destroyed."))
