"""The `saylau` command."""

from __future__ import annotations

import typer

from saylau.cli import bench, simulate, verify

app = typer.Typer(
    help="saylau: verifiable party primaries and elections.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.command("simulate")(simulate.simulate)
app.command("verify")(verify.verify)
app.add_typer(bench.app, name="bench")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
