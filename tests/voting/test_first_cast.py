"""A first cast in one round trip (decision 0015): session tokens that vouch for themselves,
verify before the database is asked, and the procedure `saylau_append_first_cast` that
checks what the look-up would have. Whatever it refuses goes the way with the look-up, and
the answer is the one that way gives."""

from __future__ import annotations

import datetime as dt
import secrets

import pytest
from django.db import connection
from django.utils import timezone

from saylau.board.models import Leaf
from saylau.elections.models import Election
from saylau.protocol.canonical import canonical_json
from saylau.voting import cast, first_cast, session_token, signin
from saylau.voting.models import VoterSession
from tests.protocol.forgery import tampered
from tests.voting.test_cast import board_size, check

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)

# --- the token ---------------------------------------------------------------------------


def test_a_token_vouches_for_its_election_until_it_expires(settings):
    token = session_token.issue(42, NOW + dt.timedelta(minutes=30))
    assert session_token.election_vouched_for(token, NOW) == 42
    assert session_token.election_vouched_for(token, NOW + dt.timedelta(minutes=29)) == 42
    assert session_token.election_vouched_for(token, NOW + dt.timedelta(minutes=30)) is None
    assert token != session_token.issue(42, NOW + dt.timedelta(minutes=30))  # random part
    settings.SECRET_KEY = "another key, another service"
    assert session_token.election_vouched_for(token, NOW) is None


def _swap(token: str, field: int, value: str) -> str:
    parts = token.split(".")
    parts[field] = value
    return ".".join(parts)


def test_a_changed_token_vouches_for_nothing():
    token = session_token.issue(42, NOW + dt.timedelta(minutes=30))
    expiry, mac = token.split(".")[2], token.split(".")[4]
    flipped = ("A" if mac[0] != "A" else "B") + mac[1:]
    for changed in (
        _swap(token, 1, "43"),  # another election
        _swap(token, 2, str(int(expiry) + 3600)),  # a longer life
        _swap(token, 3, secrets.token_urlsafe(24)),  # another session
        _swap(token, 4, flipped),  # a guessed MAC
        _swap(token, 0, "s2"),
        token.rpartition(".")[0],  # no MAC
        token + ".x",
        _swap(token, 1, "4x"),
        secrets.token_urlsafe(32),  # a token of the earlier format
        "",
    ):
        assert session_token.election_vouched_for(changed, NOW) is None, changed


# --- the cast ------------------------------------------------------------------------------

pg = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the first cast's procedure is PostgreSQL's"
)


def _earlier_format_session(world, voter) -> str:
    """A live session whose token does not vouch for itself (as before decision 0015): its
    casts take the way with the look-up."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    VoterSession.objects.create(
        election=world.election,
        member_id=voter.member_id,
        token_hash=signin.token_digest(token),
        network="10.9.9.0/24",
        created_at=now,
        expires_at=now + dt.timedelta(minutes=30),
    )
    return token


class Spy:
    """Counts the calls of a function the cast's modules use (and still calls it)."""

    def __init__(self, monkeypatch, name: str) -> None:
        self.calls = 0
        for module in (cast, first_cast):
            if hasattr(module, name):
                self._count(monkeypatch, module, name)

    def _count(self, monkeypatch, module, name: str) -> None:
        real = getattr(module, name)

        def counted(*args, **kwargs):
            self.calls += 1
            return real(*args, **kwargs)

        monkeypatch.setattr(module, name, counted)


@pg
@pytest.mark.django_db
def test_a_first_cast_asks_the_database_once(world, api, monkeypatch):
    voter = world.voters[0]
    token = api.sign_in(voter)
    assert session_token.election_vouched_for(token, timezone.now()) == world.election.pk
    look_ups, verifies = Spy(monkeypatch, "look_up"), Spy(monkeypatch, "verify_ballot")
    ballot = world.ballot(voter)
    response = api.cast(ballot, token)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "cast" and body["replaces"] is None and body["repeat"] is False
    check(world, ballot, body)
    assert (look_ups.calls, verifies.calls) == (0, 1)
    # the same ballot again (a retry): verified again before the database is asked, the
    # procedure refuses (the credential has a leaf), the look-up finds the ballot, and its
    # receipt comes back
    again = api.cast(ballot, token)
    assert again.status_code == 200 and again.json()["repeat"] is True
    assert again.json()["receipt"] == body["receipt"]
    assert (look_ups.calls, verifies.calls) == (1, 2)
    # a ballot that fails verify: the look-up's way names the refusal, verify's outcome kept
    other = world.voters[1]
    refused = _a_failing_proof(world, api, other, api.sign_in(other, ip="10.0.0.2"))
    assert refused.status_code == 400 and "0/1 proof" in refused.json()["error"]["message"]
    assert (look_ups.calls, verifies.calls) == (2, 3)


@pg
@pytest.mark.django_db
def test_without_a_token_that_vouches_nothing_is_verified_before_the_look_up(
    world, api, monkeypatch
):
    """Nobody without a sign-in makes the server verify: a ballot copied from the board,
    sent with a token that does not vouch, is refused by the look-up alone."""
    voter = world.voters[0]
    ballot = world.ballot(voter)
    assert api.cast(ballot, api.sign_in(voter)).status_code == 201
    other_election = session_token.issue(world.election.pk + 1, timezone.now() + dt.timedelta(1))
    forged = _swap(session_token.issue(world.election.pk, timezone.now()), 2, "9999999999")
    verifies = Spy(monkeypatch, "verify_ballot")
    for token in (other_election, forged, secrets.token_urlsafe(32)):
        response = api.cast(ballot, token)
        assert response.status_code == 401, response.content
        assert response.json()["error"]["code"] == "not_authenticated"
    assert verifies.calls == 0


def _warm(world, api) -> None:
    """A first cast by the last voter: this process now holds the election as open."""
    voter = world.voters[-1]
    assert api.cast(world.ballot(voter), api.sign_in(voter, ip="10.0.7.7")).status_code == 201
    assert world.election.pk in first_cast.OPEN_ELECTIONS


def _signed_out(world, api, voter, token):
    _earlier_format_session(world, voter)  # signed in elsewhere too: that session stays
    signin.end_session(world.election, token)
    return api.cast(world.ballot(voter), token)


def _session_ended_early(world, api, voter, token):
    """The session's row says it has expired (the token itself claims longer)."""
    _earlier_format_session(world, voter)
    VoterSession.objects.filter(token_hash=signin.token_digest(token)).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    return api.cast(world.ballot(voter), token)


def _anothers_credential(world, api, voter, token):
    return api.cast(world.ballot(world.voters[-2]), token)


def _another_district(world, api, voter, token):
    from saylau.crypto.rand import DeterministicRng
    from saylau.protocol.ballot import encrypt_ballot
    from saylau.protocol.credentials import derive

    district = next(d for d in ("KZ-71", "KZ-75") if d != voter.district)
    contest = world.ctx.manifest.contests_for(district)[0]
    ballot = encrypt_ballot(
        world.ctx,
        district,
        {contest.id: [1, 0, 0]},
        derive(world.election.slug, voter.code),
        DeterministicRng("another district"),
    )
    return api.cast(ballot, token)


def _closed_meanwhile(world, api, voter, token):
    Election.objects.filter(pk=world.election.pk).update(status="closed")
    return api.cast(world.ballot(voter), token)


def _closing_time_passed(world, api, voter, token):
    Election.objects.filter(pk=world.election.pk).update(
        closes_at=timezone.now() - dt.timedelta(seconds=1)
    )
    return api.cast(world.ballot(voter), token)


def _not_open_yet(world, api, voter, token):
    Election.objects.filter(pk=world.election.pk).update(
        opens_at=timezone.now() + dt.timedelta(hours=1)
    )
    return api.cast(world.ballot(voter), token)


def _a_repeat(world, api, voter, token):
    api.cast(world.ballot(voter), token)
    return api.cast(world.ballot(voter), token)


def _a_revote(world, api, voter, token):
    api.cast(world.ballot(voter), token)
    return api.cast(world.ballot(voter, choice=1), token)


def _voted_on_paper(world, api, voter, token):
    from saylau.voting import services

    services.record_paper_vote(world.election, voter.member_id, "PR-9")
    return api.cast(world.ballot(voter), token)


def _a_failing_proof(world, api, voter, token):
    raw = world.ballot(voter).raw
    raw = tampered(
        raw,
        ["contests", 0, "choices", 0, "proof", "responses", 0],
        raw["contests"][0]["choices"][1]["proof"]["responses"][0],
    )
    return api.post("/ballots", canonical_json(raw), token=token)


# RFC 9496, A.2: 32 bytes, bit 255 clear, not an element (x² not a square)
NON_ELEMENT = "26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371"


def _a_non_element(world, api, voter, token):
    """Decision 0016: parsed without the curve check; verify_ballot's libsodium call
    refuses it, and the refusal names it as the strict parse did."""
    raw = tampered(world.ballot(voter).raw, ["contests", 0, "choices", 1, "beta"], NON_ELEMENT)
    return api.post("/ballots", canonical_json(raw), token=token)


def _a_non_element_after_closing(world, api, voter, token):
    """A ballot that is not one is refused as such before the election's state is looked at
    (as when the parse checked every element)."""
    Election.objects.filter(pk=world.election.pk).update(status="closed")
    return _a_non_element(world, api, voter, token)


@pg
@pytest.mark.django_db
@pytest.mark.parametrize(
    ("scenario", "status", "code"),
    [
        (_signed_out, 401, "not_authenticated"),
        (_session_ended_early, 401, "not_authenticated"),
        (_anothers_credential, 403, "ballot.not_your_credential"),
        (_another_district, 400, "ballot.invalid"),
        (_closed_meanwhile, 409, "voting.closed"),
        (_closing_time_passed, 409, "voting.closed"),
        (_not_open_yet, 409, "voting.not_open"),
        (_a_repeat, 200, None),
        (_a_revote, 201, None),
        (_voted_on_paper, 409, "voting.paper_precinct"),
        (_a_failing_proof, 400, "ballot.invalid"),
        (_a_non_element, 400, "ballot.invalid"),
        (_a_non_element_after_closing, 400, "ballot.invalid"),
    ],
)
def test_the_answer_is_the_look_ups_either_way(world, api, scenario, status, code):
    """The same situation for two voters — in an election this process holds as open — one
    with a token that vouches (the first cast's call), one with a token of the earlier
    format (the look-up first): the same answer, and a refusal stores nothing."""
    _warm(world, api)
    answers = []
    for voter, vouching in ((world.voters[0], True), (world.voters[1], False)):
        token = (
            api.sign_in(voter, ip="10.0.8.8") if vouching else _earlier_format_session(world, voter)
        )
        vouched = session_token.election_vouched_for(token, timezone.now())
        assert (vouched == world.election.pk) is vouching
        leaves = board_size(world)[0]
        response = scenario(world, api, voter, token)
        assert response.status_code == status, (vouching, response.content)
        body = response.json()
        if code is None:
            answers.append((body["kind"], body["repeat"], body["replaces"] is None))
            check(world, world.ballot(voter, choice=1 if body["kind"] == "revote" else 0), body)
        else:
            # the message too where it names no contest or district (those are the voter's)
            same_words = scenario in (_a_non_element, _a_non_element_after_closing)
            answers.append((body["error"]["code"], body["error"]["message"] if same_words else ""))
            assert body["error"]["code"] == code
            paper = 1 if scenario is _voted_on_paper else 0
            assert Leaf.objects.filter(election=world.election).count() == leaves + paper
    assert answers[0] == answers[1]
    if scenario in (_a_non_element, _a_non_element_after_closing):
        assert "encoding: ballot.contests[0].choices[1].beta" in answers[0][1]


@pg
@pytest.mark.django_db
def test_a_stale_election_is_forgotten_and_the_ballot_verified_again(world, api, monkeypatch):
    """If the election this process holds is not the database's any more (another key
    ceremony: another fingerprint), the procedure refuses, the election is read again and
    the ballot verified against it."""
    _warm(world, api)
    held = first_cast.OPEN_ELECTIONS[world.election.pk]
    stale = Election.objects.defer("manifest").get(pk=world.election.pk)
    stale.fingerprint = "00" * 32
    monkeypatch.setitem(first_cast.OPEN_ELECTIONS, world.election.pk, stale)
    verifies = Spy(monkeypatch, "verify_ballot")
    voter = world.voters[0]
    ballot = world.ballot(voter)
    response = api.cast(ballot, api.sign_in(voter))
    assert response.status_code == 201, response.content
    check(world, ballot, response.json())
    assert verifies.calls == 2  # against the stale election's context, then the real one's
    assert first_cast.OPEN_ELECTIONS.get(world.election.pk) is not stale
    assert held.fingerprint == world.election.fingerprint
