"""The `--lang` option of the commands, and names given in several languages."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated

import typer

Lang = Annotated[
    str | None,
    typer.Option(
        "--lang", help="Language of messages: kk, ru or en (default: SAYLAU_LANGUAGE, else kk)."
    ),
]


def local_name(names: Mapping[str, str], lang: str) -> str:
    """A manifest name (kk/ru/en) in `lang`, else in English, else any."""
    return names.get(lang) or names.get("en") or next(iter(names.values()), "")
