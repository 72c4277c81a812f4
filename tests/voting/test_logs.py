"""No IIN and no phone number in any log record during sign-in, casting and errors (checked
before the redacting filter: the voting code must not log them in the first place)."""

from __future__ import annotations

import logging

import pytest

from saylau.voting import signin
from saylau.voting.errors import WrongCode

pytestmark = pytest.mark.django_db


def spellings(voter) -> list[str]:
    national = voter.phone[2:]
    return [voter.iin, voter.phone, national, "8" + national, "7" + national]


def test_no_iin_or_phone_in_logs(world, api, caplog, settings):
    caplog.set_level(logging.DEBUG)
    voter, other, third = world.voters[0], world.voters[1], world.voters[2]
    token = api.sign_in(voter)
    api.cast(world.ballot(voter), token)
    api.cast(world.ballot(voter), token)  # retry
    api.cast(world.ballot(voter, choice=2), token)  # re-vote
    api.cast(world.ballot(other), token)  # not their credential
    api.post("/sign-in", {"iin": other.iin, "phone": voter.phone}, ip="10.0.9.9")  # wrong phone
    api.post("/sign-in", {"iin": other.iin, "phone": "+7 999"}, ip="10.0.9.8")  # malformed
    challenge = signin.request_code(world.election, third.iin, third.phone, "10.0.9.7").challenge
    with pytest.raises(WrongCode):
        signin.verify_code(world.election, challenge, "000000", "10.0.9.7")
    text = (
        "\n".join(f"{r.name} {r.getMessage()} {r.exc_text or ''}" for r in caplog.records)
        + caplog.text
    )
    assert caplog.records  # something was logged
    for secret in spellings(voter) + spellings(other) + spellings(third):
        assert secret not in text
