"""The `saylau` command."""

from __future__ import annotations

import typer

from saylau.cli import bench, demo, simulate, verify
from saylau.cli.analyze import analyze
from saylau.cli.ca import app as ca_app
from saylau.cli.election import app as election_app
from saylau.cli.exitpoll import app as exitpoll_app
from saylau.cli.observers import app as observers_app
from saylau.cli.paper import app as paper_app
from saylau.cli.pvt import app as pvt_app
from saylau.cli.roll import app as roll_app
from saylau.cli.smtp_intake import smtp_intake
from saylau.cli.stations import app as stations_app
from saylau.cli.trustee import app as trustee_app
from saylau.cli.vote import app as vote_app

app = typer.Typer(
    help="saylau: verifiable party primaries and elections.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("simulate")(simulate.simulate)
app.command("verify")(verify.verify)
app.add_typer(bench.app, name="bench")
app.add_typer(roll_app, name="roll")
app.add_typer(election_app, name="election")
app.add_typer(trustee_app, name="trustee")
app.add_typer(ca_app, name="ca")
app.add_typer(vote_app, name="vote")
app.add_typer(demo.app, name="demo")
app.add_typer(paper_app, name="paper")
app.add_typer(stations_app, name="stations")
app.add_typer(pvt_app, name="pvt")
app.add_typer(exitpoll_app, name="exitpoll")
app.command("smtp-intake")(smtp_intake)
app.add_typer(observers_app, name="observers")
app.command("analyze")(analyze)


@app.command(
    "manage",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    add_help_option=False,
)
def manage(ctx: typer.Context) -> None:
    """Django management commands (migrate, createsuperuser, runserver, …)."""
    from saylau.site.manage import main as manage_main

    manage_main(list(ctx.args))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
