"""The cast API: receipts, retries, re-votes, paper overrides, refusals that store nothing."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import OperationalError
from django.utils import timezone

from saylau.board.models import Leaf, Node
from saylau.protocol import board as pb
from saylau.protocol import events
from saylau.protocol.canonical import canonical_json, strict_loads
from saylau.protocol.receipt import check_receipt, receipt_from_json
from saylau.voting import services
from tests.protocol.forgery import tampered
from tests.voting.helpers import Api

pytestmark = pytest.mark.django_db


def board_size(world) -> tuple[int, int]:
    return Leaf.objects.filter(election=world.election).count(), Node.objects.count()


def check(world, ballot, body) -> None:
    receipt = receipt_from_json(body["receipt"])
    leaf = events.ballot_leaf_bytes(canonical_json(ballot.raw), body["time"], body["replaces"])
    check_receipt(receipt, leaf, services.board_public_key(world.election), world.ctx.fingerprint)
    assert receipt.tracking_code == ballot.tracking_code
    assert receipt.inclusion.leaf_index == body["leaf_index"]
    stored = Leaf.objects.get(election=world.election, index=body["leaf_index"])
    assert bytes(stored.data) == leaf


def test_cast_gives_a_receipt_that_verifies(world, api):
    voter = world.voters[0]
    token = api.sign_in(voter)
    ballot = world.ballot(voter, choice=1)
    response = api.cast(ballot, token)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "cast" and body["replaces"] is None and body["repeat"] is False
    assert body["leaf_index"] == 1  # after the open leaf
    check(world, ballot, body)
    assert api.get("/me", token=token).json()["latest_tracking_code"] == ballot.tracking_code


def test_a_retry_gets_the_same_receipt(world, api):
    voter = world.voters[0]
    token = api.sign_in(voter)
    ballot = world.ballot(voter)
    first = api.cast(ballot, token)
    size = board_size(world)
    again = api.cast(ballot, token)
    assert again.status_code == 200
    assert again.json()["repeat"] is True
    assert again.json()["receipt"] == first.json()["receipt"]
    assert board_size(world) == size
    # the same JSON with other key order and spacing is the same ballot
    respaced = json.dumps(ballot.raw, indent=2, sort_keys=False)
    assert api.post("/ballots", respaced, token=token).json()["receipt"] == first.json()["receipt"]


def test_revote_replaces_and_the_last_ballot_counts(world, api):
    voter, other = world.voters[0], world.voters[1]
    token = api.sign_in(voter)
    first = world.ballot(voter, choice=0)
    second = world.ballot(voter, choice=2)
    b1 = api.cast(first, token).json()
    other_token = api.sign_in(other, ip="10.0.0.2")
    api.cast(world.ballot(other, choice=1), other_token)
    b2 = api.cast(second, token)
    assert b2.status_code == 201
    body = b2.json()
    assert body["kind"] == "revote" and body["replaces"] == first.tracking_code
    check(world, second, body)
    event = strict_loads(Leaf.objects.get(index=body["leaf_index"]).data)
    assert event["type"] == "revote" and event["replaces"] == b1["receipt"]["tracking_code"]
    counted = {b.tracking_code for b in services.counted_ballots(world.election)}
    assert counted == {second.tracking_code, world.ballot(other, choice=1).tracking_code}
    # replaying the first ballot does not bring it back
    again = api.cast(first, token)
    assert again.status_code == 200 and again.json()["receipt"] == b1["receipt"]
    assert {b.tracking_code for b in services.counted_ballots(world.election)} == counted
    found = api.get(f"/board/ballots/{first.tracking_code}").json()
    assert found["replaced_by"] == second.tracking_code
    rules = services.board_rules(world.election)
    assert rules.problems == []


def test_before_opening_nothing_is_stored(world_factory, client):
    world = world_factory(open_board=False)
    api = Api(client, world.election.slug)
    voter = world.voters[0]
    token = api.sign_in(voter)
    response = api.cast(world.ballot(voter), token)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "voting.not_open"
    assert Leaf.objects.count() == 0


def test_after_closing_nothing_is_stored(world, api):
    voter = world.voters[0]
    token = api.sign_in(voter)
    services.close_board(world.election)
    size = board_size(world)
    response = api.cast(world.ballot(voter), token)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "voting.closed"
    world.election.closes_at = timezone.now() - dt.timedelta(seconds=1)
    world.election.save()
    response = api.cast(world.ballot(voter, choice=2), token)
    assert response.status_code == 409
    assert board_size(world) == size


def test_a_credential_that_is_not_the_voters(world, api):
    voter, other = world.voters[0], world.voters[1]
    token = api.sign_in(voter)
    size = board_size(world)
    response = api.cast(world.ballot(other), token)
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "ballot.not_your_credential"
    assert board_size(world) == size


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (
            lambda r: tampered(r, ["signature", "response"], r["signature"]["challenge"]),
            "signature",
        ),
        (
            lambda r: tampered(
                r,
                ["contests", 0, "choices", 0, "proof", "responses", 0],
                r["contests"][0]["choices"][1]["proof"]["responses"][0],
            ),
            "0/1 proof",
        ),
        (
            lambda r: tampered(
                r,
                ["contests", 0, "range_proof", "responses", 0],
                r["contests"][0]["choices"][0]["proof"]["responses"][0],
            ),
            "range proof",
        ),
        (lambda r: tampered(r, ["election"], "00" * 32), "election"),
        (lambda r: {k: v for k, v in r.items() if k != "contests"}, "ballot"),
        (lambda r: tampered(r, ["contests", 0, "choices", 0, "alpha"], "zz"), "encoding"),
        (  # 64 hex digits, bit 255 clear, not an element (RFC 9496 A.2): verify's to refuse
            lambda r: tampered(r, ["credential"], "ecff" + "ff" * 29 + "7f"),
            "encoding: ballot.credential: not a canonical ristretto255 encoding",
        ),
        (
            lambda r: tampered(r, ["contests", 0, "choices"], r["contests"][0]["choices"][:2]),
            "options",
        ),
    ],
)
def test_invalid_ballots_are_refused_naming_the_check(world, api, change, named):
    from django.utils import translation

    voter = world.voters[0]
    token = api.sign_in(voter)
    raw = change(world.ballot(voter).raw)
    size = board_size(world)
    with translation.override("en"):
        response = api.post("/ballots", canonical_json(raw), token=token, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "ballot.invalid"
    assert named in error["message"]
    assert "Nothing was stored" in error["message"]
    assert board_size(world) == size


def test_a_ballot_for_another_district(world, api):
    voter = next(v for v in world.voters if v.district == "KZ-75")
    token = api.sign_in(voter)
    from saylau.crypto.rand import DeterministicRng
    from saylau.protocol.ballot import encrypt_ballot
    from saylau.protocol.credentials import derive

    contest = world.ctx.manifest.contests_for("KZ-71")[0]
    ballot = encrypt_ballot(
        world.ctx,
        "KZ-71",
        {contest.id: [1, 0, 0]},
        derive(world.election.slug, voter.code),
        DeterministicRng("x"),
    )
    response = api.cast(ballot, token)
    assert response.status_code == 400
    assert "district" in response.json()["error"]["message"]


def test_bad_bodies(world, api):
    token = api.sign_in(world.voters[0])
    for body in ("{not json", "[1, 2]", '{"a": 1.5}', '{"a": 1, "a": 2}', ""):
        response = api.post("/ballots", body, token=token)
        assert response.status_code == 400, (body, response.content)
        assert "error" in response.json()
    assert api.post("/ballots", "{}", token=None).status_code == 401
    assert api.post("/ballots", "{}", token="forged").status_code == 401


def test_messages_in_three_languages(world, api):
    token = api.sign_in(world.voters[0])
    ballot = world.ballot(world.voters[1])
    messages = set()
    for language in ("kk", "ru", "en"):
        response = api.post(
            "/ballots", canonical_json(ballot.raw), token=token, HTTP_ACCEPT_LANGUAGE=language
        )
        messages.add(response.json()["error"]["message"])
    assert len(messages) == 3


def test_paper_override(world, api):
    voter = world.voters[0]
    token = api.sign_in(voter)
    ballot = world.ballot(voter)
    api.cast(ballot, token)
    index = services.record_paper_vote(world.election, voter.member_id, "PR-7")
    event = strict_loads(Leaf.objects.get(index=index).data)
    assert event == {
        "type": "paper_override",
        "time": event["time"],
        "credential": voter.credential,
        "precinct": "PR-7",
    }
    size = board_size(world)
    response = api.cast(world.ballot(voter, choice=2), token)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "voting.paper_precinct"
    assert "PR-7" in response.json()["error"]["message"]
    assert board_size(world) == size
    assert list(services.counted_ballots(world.election)) == []
    from saylau.voting.errors import BoardError

    with pytest.raises(BoardError):
        services.record_paper_vote(world.election, voter.member_id, "PR-8")


def test_board_busy_is_a_503(world, api, monkeypatch):
    token = api.sign_in(world.voters[0])
    from saylau.board import lifecycle, procedure

    def busy(*args, **kwargs):
        from saylau.voting.errors import Busy

        raise Busy("busy")

    # the locked append (SQLite) and the one without the lock (PostgreSQL)
    monkeypatch.setattr(lifecycle, "lock_state", busy)
    monkeypatch.setattr(procedure, "append_ballot", busy)
    response = api.cast(world.ballot(world.voters[0]), token)
    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0

    def db_error(*args, **kwargs):
        raise OperationalError("could not obtain lock")

    monkeypatch.setattr(lifecycle, "lock_state", db_error)
    monkeypatch.setattr(procedure, "append_ballot", db_error)
    response = api.cast(world.ballot(world.voters[0]), token)
    assert response.status_code == 503
    assert response.json()["error"]["code"] == "unavailable"
    assert "could not" not in response.content.decode()


def test_receipt_and_board_agree(world, api):
    tokens = {v.member_id: api.sign_in(v, ip=f"10.0.1.{i}") for i, v in enumerate(world.voters)}
    receipts = []
    for v in world.voters:
        body = api.cast(world.ballot(v), tokens[v.member_id]).json()
        receipts.append((v, body))
    head = api.get("/board").json()
    assert head["size"] == len(world.voters) + 1
    current = pb.tree_head_from_json(head["tree_head"])
    key, log_id = services.board_public_key(world.election), world.ctx.fingerprint
    pb.verify_tree_head(current, key, log_id)
    for voter, body in receipts:
        receipt = receipt_from_json(body["receipt"])
        # the receipt's head is a prefix of the head now
        proof = api.get(
            "/board/consistency", QUERY_STRING=f"old={receipt.tree_head.tree_size}"
        ).json()
        pb.verify_consistency(
            receipt.tree_head.tree_size,
            current.tree_size,
            receipt.tree_head.root_hash,
            current.root_hash,
            [bytes.fromhex(h) for h in proof["path"]],
        )
        # the look-up proves inclusion in the head now
        found = api.get(f"/board/ballots/{receipt.tracking_code}").json()
        leaf = found["leaf"]["data"].encode()
        inclusion = pb.inclusion_proof_from_json(found["inclusion_proof"])
        pb.verify_inclusion(
            pb.leaf_hash(leaf),
            inclusion.leaf_index,
            inclusion.tree_size,
            list(inclusion.path),
            current.root_hash,
        )
        assert found["leaf"]["index"] == body["leaf_index"]


def test_a_body_too_large(world, api, settings):
    token = api.sign_in(world.voters[0])
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = api.cast(world.ballot(world.voters[0]), token)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too_large"
    assert Leaf.objects.count() == 1


# --- a cast racing another leaf of the same credential ----------------------------------
# The cast learns the credential's latest leaf before it verifies (no lock held): from the
# look-up, or — a first cast on PostgreSQL (decision 0015) — by assuming there is none; it
# appends only if that is still so. These tests put the other leaf in between, through the
# real services, right after verify.


def _in_between(monkeypatch, action) -> None:
    from saylau.voting import cast, first_cast

    real, done = cast.verify_ballot, []

    def verify_then_race(*args, **kwargs):
        real(*args, **kwargs)
        if not done:
            done.append(1)
            action()

    monkeypatch.setattr(cast, "verify_ballot", verify_then_race)
    monkeypatch.setattr(first_cast, "verify_ballot", verify_then_race)


def test_a_ballot_cast_meanwhile_is_the_one_replaced(world, api, monkeypatch):
    voter = world.voters[0]
    token = api.sign_in(voter)
    first, meanwhile, last = (world.ballot(voter, choice=k) for k in (0, 1, 2))
    api.cast(first, token)
    _in_between(
        monkeypatch, lambda: services.cast_ballot(world.election, voter.member_id, meanwhile.raw)
    )
    response = api.cast(last, token)
    assert response.status_code == 201, response.content
    body = response.json()
    # not the `first` the look-up saw: the ballot that came in between
    assert body["kind"] == "revote" and body["replaces"] == meanwhile.tracking_code
    check(world, last, body)
    assert services.board_rules(world.election).problems == []
    assert [b.tracking_code for b in services.counted_ballots(world.election)] == [
        last.tracking_code
    ]


def test_a_first_ballot_racing_another_becomes_a_revote(world, api, monkeypatch):
    voter = world.voters[0]
    token = api.sign_in(voter)
    meanwhile, mine = world.ballot(voter, choice=0), world.ballot(voter, choice=1)
    _in_between(
        monkeypatch, lambda: services.cast_ballot(world.election, voter.member_id, meanwhile.raw)
    )
    body = api.cast(mine, token).json()
    assert body["kind"] == "revote" and body["replaces"] == meanwhile.tracking_code
    check(world, mine, body)
    assert services.board_rules(world.election).problems == []


def test_the_same_ballot_cast_meanwhile_gets_its_receipt(world, api, monkeypatch):
    voter = world.voters[0]
    token = api.sign_in(voter)
    ballot = world.ballot(voter)
    _in_between(
        monkeypatch, lambda: services.cast_ballot(world.election, voter.member_id, ballot.raw)
    )
    size_before = Leaf.objects.filter(election=world.election).count()
    response = api.cast(ballot, token)
    assert response.status_code == 200 and response.json()["repeat"] is True
    check(world, ballot, response.json())
    assert Leaf.objects.filter(election=world.election).count() == size_before + 1  # once


def test_a_paper_vote_recorded_meanwhile_refuses_the_cast(world, api, monkeypatch):
    voter = world.voters[0]
    token = api.sign_in(voter)
    api.cast(world.ballot(voter, choice=0), token)
    _in_between(
        monkeypatch,
        lambda: services.record_paper_vote(world.election, voter.member_id, "PR-9"),
    )
    size = board_size(world)
    response = api.cast(world.ballot(voter, choice=1), token)
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "voting.paper_precinct"
    # verify ran before the paper vote: the refusal naming PR-9 comes from the checks when
    # appending (under the lock; or the procedure's, then the look-up's). The paper vote
    # committed on its own (the cast is not one request-long transaction, decision 0010)
    # and stays; the refused ballot added nothing.
    assert "PR-9" in response.json()["error"]["message"]
    leaves, nodes = size
    assert board_size(world) == (leaves + 1, nodes + 1)
    latest = Leaf.objects.filter(election=world.election).order_by("-index").first()
    assert latest is not None and latest.kind == "paper_override"
