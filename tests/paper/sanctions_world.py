"""A sanctions provider for the paper tests, registered the way the complaints app registers
its own (paper.sanction_source.register): a real function giving real Sanction values, per
election slug; the previous provider is put back afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from saylau.elections.models import Election
from saylau.paper import sanction_source
from saylau.protocol.sanctions import SET_ASIDE, Sanction

Given = dict[str, tuple[str, tuple[Sanction, ...]]]


def sanction(n: int, kind: str, **where: str) -> Sanction:
    return Sanction(f"S-{n}", kind, f"PCC-2026-{n:04d}", "2026-06-02T09:00:00Z", **where)


@pytest.fixture
def decided() -> Iterator[Given]:
    """slug → (vote rule, sanctions): what the provider answers (no entry: no sanction)."""
    given: Given = {}

    def provider(election: Election) -> tuple[str, tuple[Sanction, ...]]:
        return given.get(election.slug, (SET_ASIDE, ()))

    previous = sanction_source.register(provider)
    yield given
    sanction_source.register(previous)
