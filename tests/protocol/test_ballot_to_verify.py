"""`ballot_to_verify` (decision 0016): the parse that leaves the curve check of each element
to `verify_ballot`, whose libsodium calls decode every element of the ballot. A ballot that
is not one gets the same answer either way."""

from __future__ import annotations

import json
from typing import Any

import pytest

from saylau.crypto import group
from saylau.crypto.rand import DeterministicRng
from saylau.protocol import credentials as creds
from saylau.protocol.ballot import (
    Ballot,
    ElectionContext,
    ballot_from_json,
    ballot_to_verify,
    check_elements,
    encrypt_ballot,
    verify_ballot,
)
from saylau.protocol.errors import InvalidBallot
from tests.crypto.test_group import INVALID
from tests.protocol.forgery import tampered, value_at

# RFC 9496, A.2, with bit 255 clear: the form of an element, but none
NON_ELEMENTS = {name: hex_ for name, hex_ in INVALID.items() if not int(hex_[-2:], 16) & 0x80}


def _ballot(ctx: ElectionContext, rng: DeterministicRng) -> tuple[dict[str, Any], Any, str]:
    cred = creds.generate(ctx.manifest.election_id, rng)
    district = ctx.manifest.districts[0].id
    c1, c2 = ctx.manifest.contests_for(district)
    marks = {c1.id: [0, 1] + [0] * 10, c2.id: [0] * 7 + [1]}  # c2's last: against all
    raw = encrypt_ballot(ctx, district, marks, cred, rng).raw
    return json.loads(json.dumps(raw)), cred, district


def _element_paths(raw: dict[str, Any]) -> list[list[Any]]:
    paths: list[list[Any]] = [["credential"]]
    for i, contest in enumerate(raw["contests"]):
        for j, _ in enumerate(contest["choices"]):
            paths += [["contests", i, "choices", j, "alpha"], ["contests", i, "choices", j, "beta"]]
    return paths


def test_it_accepts_what_ballot_from_json_accepts(ctx, rng) -> None:
    raw, cred, district = _ballot(ctx, rng)
    lazy, strict = ballot_to_verify(raw), ballot_from_json(raw)
    assert lazy == strict
    verify_ballot(ctx, lazy, {cred.public: district})


def test_verify_decodes_every_element_of_the_ballot(ctx, rng, monkeypatch) -> None:
    """Every element of an accepted ballot has gone through a libsodium call that decodes it
    (scalar multiplication, addition, subtraction, or — for a zero scalar — the point check),
    so verify_ballot's acceptance implies what the strict parse checked."""
    raw, cred, district = _ballot(ctx, rng)
    decoded: set[bytes] = set()

    def recording(name: str, points: slice) -> None:
        real = getattr(group, name)

        def call(*args: bytes) -> Any:
            decoded.update(args[points])
            return real(*args)

        monkeypatch.setattr(group, name, call)

    recording("_scalarmult", slice(1, 2))  # (scalar, point)
    recording("_add", slice(0, 2))
    recording("_sub", slice(0, 2))
    recording("_is_valid", slice(0, 1))
    verify_ballot(ctx, ballot_to_verify(raw), {cred.public: district})
    paths = _element_paths(raw)
    assert len(paths) == 1 + 2 * (12 + 8)
    missing = [p for p in paths if bytes.fromhex(value_at(raw, p)) not in decoded]
    assert missing == []


@pytest.mark.parametrize("kind", list(NON_ELEMENTS))
def test_a_non_element_anywhere_gets_the_strict_parses_answer(ctx, rng, kind) -> None:
    """For each element of the ballot in turn: the same words as ballot_from_json's, from
    verify_ballot (whether the signature was made over the non-element or not)."""
    raw, cred, district = _ballot(ctx, rng)
    for path in _element_paths(raw):
        bad = tampered(raw, path, NON_ELEMENTS[kind])
        with pytest.raises(InvalidBallot) as strict:
            ballot_from_json(bad)
        assert "not a canonical ristretto255 encoding" in str(strict.value)
        lazy = ballot_to_verify(bad)
        with pytest.raises(InvalidBallot) as refused:
            verify_ballot(ctx, lazy, {cred.public: district, lazy.credential: district})
        assert str(refused.value) == str(strict.value), path
        with pytest.raises(InvalidBallot) as named:
            check_elements(lazy)
        assert str(named.value) == str(strict.value)


def test_a_non_element_is_named_before_a_failing_proof(ctx, rng) -> None:
    """A ballot whose first contest's proof fails and whose second contest holds a
    non-element: verify_ballot names the non-element, as the strict parse does."""
    raw, cred, district = _ballot(ctx, rng)
    proof = ["contests", 0, "choices", 0, "proof", "responses", 0]
    bad = tampered(
        raw, proof, value_at(raw, ["contests", 0, "choices", 1, "proof", "responses", 0])
    )
    verify_ballot(ctx, ballot_from_json(raw), {cred.public: district})
    with pytest.raises(InvalidBallot, match="0/1 proof fails"):
        verify_ballot(ctx, ballot_to_verify(bad), {cred.public: district})
    bad = tampered(bad, ["contests", 1, "choices", 3, "alpha"], NON_ELEMENTS["negative xy"])
    with pytest.raises(InvalidBallot) as strict:
        ballot_from_json(bad)
    with pytest.raises(InvalidBallot) as refused:
        verify_ballot(ctx, ballot_to_verify(bad), {cred.public: district})
    assert str(refused.value) == str(strict.value)
    assert "ballot.contests[1].choices[3].alpha" in str(refused.value)


@pytest.mark.parametrize(
    "value",
    ["e2" * 31 + "f6", "zz" * 32, "E2" * 32, "e2" * 31, 7],
    ids=["bit 255 set", "not hex", "upper case", "31 bytes", "a number"],
)
def test_what_is_not_an_elements_form_is_refused_by_the_parse_itself(ctx, rng, value) -> None:
    raw, _, _ = _ballot(ctx, rng)
    bad = tampered(raw, ["contests", 0, "choices", 2, "beta"], value)  # type: ignore[arg-type]
    with pytest.raises(InvalidBallot) as strict:
        ballot_from_json(bad)
    with pytest.raises(InvalidBallot) as lazy:
        ballot_to_verify(bad)
    assert str(lazy.value) == str(strict.value)


def test_check_elements_passes_a_ballot_of_elements(ctx, rng) -> None:
    raw, _, _ = _ballot(ctx, rng)
    ballot: Ballot = ballot_to_verify(raw)
    check_elements(ballot)
