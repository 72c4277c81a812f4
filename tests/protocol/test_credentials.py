from __future__ import annotations

import pytest

from saylau.crypto.rand import DeterministicRng
from saylau.protocol import credentials as creds
from saylau.protocol.errors import InvalidCredential


def test_code_round_trip_and_typo_detection() -> None:
    c = creds.generate("e", DeterministicRng("c"))
    assert len(c.code) == 20
    again = creds.derive("e", c.display)
    assert again.public == c.public
    typo = c.code[:3] + ("2" if c.code[3] != "2" else "3") + c.code[4:]
    with pytest.raises(InvalidCredential, match="check character"):
        creds.derive("e", typo)
    with pytest.raises(InvalidCredential):
        creds.derive("e", "0OIl" * 5)  # characters outside base58


def test_same_code_other_election_gives_other_credential() -> None:
    c = creds.generate("e1", DeterministicRng("c"))
    assert creds.derive("e2", c.code).public != c.public


def test_issue_matches_roll_counts() -> None:
    roll = {"a": 5, "b": 3}
    secrets, public = creds.issue("e", roll, DeterministicRng("i"))
    assert public.counts() == roll
    creds.check_counts(public, roll)
    assert list(public.districts["a"]) == sorted(public.districts["a"])
    assert {s.public for s in secrets["a"]} == set(public.districts["a"])
    with pytest.raises(InvalidCredential, match="district b"):
        creds.check_counts(public, {"a": 5, "b": 4})
    with pytest.raises(InvalidCredential, match="district c"):
        creds.check_counts(public, {**roll, "c": 1})


def test_a_credential_listed_twice_is_rejected() -> None:
    _, public = creds.issue("e", {"a": 2}, DeterministicRng("i"))
    dup = creds.CredentialList({"a": public.districts["a"], "b": public.districts["a"][:1]})
    with pytest.raises(InvalidCredential, match="twice"):
        dup.district_of()
