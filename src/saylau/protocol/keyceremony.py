"""The key ceremony's place in the protocol: the context every DKG message hashes."""

from __future__ import annotations

from saylau.crypto.hashing import Index, Item


def dkg_context(election_id: str, n: int, t: int) -> list[Item]:
    """["saylau-v1/dkg", election_id, Index(n), Index(t)]: binds every ceremony message to
    one election and its parameters."""
    return ["saylau-v1/dkg", election_id, Index(n), Index(t)]
