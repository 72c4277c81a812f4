"""The counts the tests read: one row per precinct, as numpy arrays."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Ints = NDArray[np.int64]
Floats = NDArray[np.float64]


@dataclass(frozen=True)
class Precincts:
    """Voters on the list, ballots issued, ballots in the boxes (valid + invalid), valid
    ballots and the votes per option; `region` indexes `region_names`."""

    voters: Ints
    issued: Ints
    cast: Ints
    valid: Ints
    options: Ints  # shape (stations, options)
    region: Ints
    region_names: tuple[str, ...]
    option_names: tuple[str, ...]

    def __len__(self) -> int:
        return int(self.voters.size)

    @property
    def leader(self) -> int:
        """The option with the most votes in all."""
        return int(np.argmax(self.options.sum(axis=0)))

    def turnout(self) -> Floats:
        return self.issued / np.maximum(self.voters, 1)

    def share(self, option: int) -> Floats:
        """The option's votes over the ballots in the boxes (Kobak et al.'s denominator)."""
        return self.options[:, option] / np.maximum(self.cast, 1)

    def subset(self, mask: NDArray[np.bool_]) -> Precincts:
        return Precincts(
            self.voters[mask],
            self.issued[mask],
            self.cast[mask],
            self.valid[mask],
            self.options[mask],
            self.region[mask],
            self.region_names,
            self.option_names,
        )


def from_rows(
    rows: list[tuple[int, int, int, int, tuple[int, ...], str]], option_names: tuple[str, ...]
) -> Precincts:
    """Precincts from (voters, issued, cast, valid, options, region) tuples."""
    names = sorted({r[5] for r in rows})
    code = {name: i for i, name in enumerate(names)}
    width = len(option_names)
    options = np.array([r[4] for r in rows], dtype=np.int64).reshape(len(rows), width)
    return Precincts(
        voters=np.array([r[0] for r in rows], dtype=np.int64),
        issued=np.array([r[1] for r in rows], dtype=np.int64),
        cast=np.array([r[2] for r in rows], dtype=np.int64),
        valid=np.array([r[3] for r in rows], dtype=np.int64),
        options=options,
        region=np.array([code[r[5]] for r in rows], dtype=np.int64),
        region_names=tuple(names),
        option_names=option_names,
    )
