"""Where the results get an election's sanctions from (docs/protocol.md §14).

The complaints app, above this one, registers its provider at start-up (`register`); paper
never imports it. With nothing registered an election has no sanctions. The provider gives
the election's vote rule for deregistered candidates and its sanctions in the register's
order (protocol.sanctions.Sanction values); the results apply them and the record publishes
them.
"""

from __future__ import annotations

from collections.abc import Callable

from saylau.elections.models import Election
from saylau.protocol.sanctions import SET_ASIDE, Sanction

Provider = Callable[[Election], tuple[str, tuple[Sanction, ...]]]
_providers: list[Provider] = []


def register(provider: Provider | None) -> Provider | None:
    """Make `provider` the source of every election's sanctions (None: no source); returns
    the one it replaces, so a caller can put it back."""
    previous = _providers[0] if _providers else None
    _providers.clear()
    if provider is not None:
        _providers.append(provider)
    return previous


def sanctions_for(election: Election) -> tuple[str, tuple[Sanction, ...]]:
    """(vote rule, sanctions) of the election: (SET_ASIDE, ()) when no provider is
    registered."""
    if not _providers:
        return SET_ASIDE, ()
    rule, sanctions = _providers[0](election)
    return rule, tuple(sanctions)
