"""The red team's lock-out attack, played against a real member: an attacker who knows a
member's IIN (not their phone) asks for codes with wrong phones from many addresses and
burns every code they get. The member's pending code, their quota and their guard are
untouched, and the member signs in (decision 0021)."""

from __future__ import annotations

import pytest

from saylau.voting import signin
from saylau.voting.models import Challenge, SignInGuard
from tests.voting.helpers import last_code, sms_count

pytestmark = pytest.mark.django_db

WRONG_PHONES = [f"+7701555{n:04d}" for n in range(8)]


def attack(api, iin: str, rounds: int = 8) -> list[tuple[int, str]]:
    """Ask for a code for `iin` with a wrong phone, then send 5 wrong codes, `rounds` times,
    each round from another address. Returns the sign-in answers (status, message)."""
    answers = []
    for n, phone in enumerate(WRONG_PHONES[:rounds]):
        ip = f"198.51.100.{n + 10}"
        response = api.post("/sign-in", {"iin": iin, "phone": phone}, ip=ip)
        body = response.json()
        answers.append((response.status_code, body.get("message", "")))
        for _ in range(5):
            api.post("/sign-in/verify", {"challenge": body["challenge"], "code": "000000"}, ip=ip)
    return answers


def test_wrong_phones_neither_cancel_pause_nor_use_up_the_members_sign_in(world, api):
    member = world.voters[0]
    # The member asks for a code first, and is typing it in while the attack runs.
    response = api.post("/sign-in", {"iin": member.iin, "phone": member.phone}, ip="10.1.1.1")
    assert response.status_code == 202
    members_answer = (response.status_code, response.json()["message"])
    challenge, code = response.json()["challenge"], last_code()
    sent = sms_count()

    answers = attack(api, member.iin)

    assert sms_count() == sent  # no code went anywhere
    assert set(answers) == {members_answer}  # the attacker learns nothing from the answers
    member_key = signin.pair_key(member.iin, member.phone)
    guard = SignInGuard.objects.get(pair_key=member_key)
    assert guard.failures == 0 and guard.locked_until is None and guard.sent_in_window == 1
    pending = Challenge.objects.get(pair_key=member_key)
    assert pending.used_at is None  # not cancelled
    # The member's code still works ...
    response = api.post("/sign-in/verify", {"challenge": challenge, "code": code}, ip="10.1.1.1")
    assert response.status_code == 200, response.content
    assert api.get("/me", token=response.json()["token"]).status_code == 200


def test_after_the_attack_the_member_can_still_ask_for_codes(world, api):
    member = world.voters[1]
    attack(api, member.iin)
    # Not paused, quota untouched: the member asks for a code and signs in.
    token = api.sign_in(member, ip="10.1.1.2")
    assert api.get("/me", token=token).json()["credential"] == member.credential


def test_the_member_who_mistypes_their_own_phone_still_signs_in(world, api):
    member = world.voters[2]
    national = member.phone[2:]
    typo = "+7" + national[:-1] + str((int(national[-1]) + 1) % 10)
    response = api.post("/sign-in", {"iin": member.iin, "phone": typo})
    for _ in range(5):
        challenge = response.json()["challenge"]
        api.post("/sign-in/verify", {"challenge": challenge, "code": "000000"})
    token = api.sign_in(member, ip="10.1.1.3")
    assert token
