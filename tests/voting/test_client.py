"""The Python voting client and `saylau vote` end to end against a live server."""

from __future__ import annotations

import time

import pytest
from typer.testing import CliRunner

from saylau.cli.vote import app as vote_app
from saylau.client import ClientError, ReceiptInvalid, VotingClient
from saylau.protocol.canonical import canonical_json, strict_loads
from saylau.voting import services
from tests.voting.helpers import build_world, last_code

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def live_world(live_server, members):
    return build_world(members, slug="primaries-live")


def selections(world, voter, choice=0):
    contest = world.ctx.manifest.contests_for(voter.district)[0]
    marks = [0] * len(contest.options)
    marks[choice] = 1
    return {contest.id: marks}


def test_client_signs_in_encrypts_casts_and_checks(live_server, live_world):
    world = live_world
    voter = world.voters[0]
    with VotingClient(live_server.url, world.election.slug) as client:
        info = client.election_info()
        assert info.fingerprint == world.ctx.fingerprint
        first_head = client.board_head()
        assert first_head is not None and first_head.tree_size == 1
        challenge = client.sign_in(voter.iin, voter.phone)
        assert challenge.expires_in == 300
        client.verify(last_code())
        assert client.me()["district"] == voter.district
        cast = client.vote(voter.code, selections(world, voter, 1))
        assert cast.kind == "cast" and cast.leaf_index == 1 and not cast.repeat
        # a retry of the same ballot: the same receipt
        ballot = client.encrypt(voter.code, selections(world, voter, 2))
        second = client.cast(ballot)
        assert second.kind == "revote" and second.replaces == cast.receipt.tracking_code
        assert client.cast(ballot).receipt == second.receipt
        found = client.find(cast.receipt.tracking_code)
        assert found["replaced_by"] == second.receipt.tracking_code
        head = client.board_head()
        client.check_consistency(first_head, head)
        client.check_consistency(cast.receipt.tree_head, head)
        # another voter's code is refused before anything is sent
        with pytest.raises(ClientError) as refused:
            client.encrypt(world.voters[1].code, selections(world, voter))
        assert refused.value.code == "ballot.not_your_credential"
        client.sign_out()
        with pytest.raises(ClientError) as refused:
            client.me()
        assert refused.value.status == 401
    counted = [b.tracking_code for b in services.counted_ballots(world.election)]
    assert counted == [second.receipt.tracking_code]


def test_client_catches_a_bad_receipt(live_server, live_world):
    world = live_world
    voter = world.voters[0]
    with VotingClient(live_server.url, world.election.slug) as client:
        client.sign_in(voter.iin, voter.phone)
        client.verify(last_code())
        ballot = client.encrypt(voter.code, selections(world, voter))
        body = client.cast(ballot).raw
        forged = dict(body, time=body["time"] + 1)  # the server lying about the leaf
        with pytest.raises(ReceiptInvalid):
            client.check_cast(ballot, forged)
        other = client.encrypt(voter.code, selections(world, voter, 1))
        with pytest.raises(ReceiptInvalid):
            client.check_cast(other, body)


def test_cast_prepared_then_check_cast(live_server, live_world):
    """The load benchmark's way: POST the serialised ballot, check the answers afterwards."""
    world = live_world
    voter = world.voters[0]
    with VotingClient(live_server.url, world.election.slug) as client:
        client.sign_in(voter.iin, voter.phone)
        client.verify(last_code())
        ballot = client.encrypt(voter.code, selections(world, voter, 1))
        body = canonical_json(ballot.raw)
        answer = client.cast_prepared(body)
        assert answer["receipt"]["tracking_code"] == ballot.tracking_code  # unchecked so far
        cast = client.check_cast(ballot, answer)
        assert cast.kind == "cast" and cast.raw == answer
        again = client.check_cast(ballot, client.cast_prepared(body))  # the same receipt
        assert again.receipt == cast.receipt
        for tampered in (
            dict(answer, time=answer["time"] + 1),
            dict(answer, leaf_index=answer["leaf_index"] + 1),
            dict(answer, receipt=dict(answer["receipt"], tracking_code="ab" * 32)),
            {k: v for k, v in answer.items() if k != "receipt"},
        ):
            with pytest.raises(ReceiptInvalid):
                client.check_cast(ballot, tampered)
        # every request of this client went over one kept-alive connection
        assert client.http.connections == 1
    counted = [b.tracking_code for b in services.counted_ballots(world.election)]
    assert counted == [cast.receipt.tracking_code]


def test_client_errors_are_translated(live_server, live_world):
    voter = live_world.voters[0]
    texts = set()
    for language in ("kk", "ru", "en"):
        with VotingClient(live_server.url, live_world.election.slug, language=language) as c:
            with pytest.raises(ClientError) as refused:
                c.sign_in(voter.iin, "+7 999")
        assert refused.value.status == 422
        texts.add(refused.value.message)
    assert len(texts) == 3


def test_vote_command(live_server, live_world, tmp_path, monkeypatch):
    world = live_world
    voter = world.voters[1]
    choices = tmp_path / "choices.json"
    import json

    choices.write_text(json.dumps(selections(world, voter, 0)))
    receipt = tmp_path / "receipt.json"

    runner = CliRunner()
    from saylau.cli import vote as cli

    monkeypatch.setattr(cli, "ask_code", last_code)  # the SMS, read when the prompt asks
    result = runner.invoke(
        vote_app,
        [
            "cast",
            live_server.url,
            world.election.slug,
            "--iin",
            voter.iin,
            "--phone",
            voter.phone,
            "--credential",
            voter.code,
            "--choices",
            str(choices),
            "--receipt",
            str(receipt),
            "--language",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "Tracking code" in result.output
    body = strict_loads(receipt.read_bytes())
    assert body["kind"] == "cast"
    result = runner.invoke(
        vote_app,
        [
            "find",
            live_server.url,
            world.election.slug,
            body["receipt"]["tracking_code"],
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "inclusion proof checked" in result.output
    result = runner.invoke(vote_app, ["board", live_server.url, world.election.slug, "-l", "en"])
    assert result.exit_code == 0 and "tree size" in result.output
    result = runner.invoke(vote_app, ["find", live_server.url, world.election.slug, "ab" * 32])
    assert result.exit_code == 2


def test_code_sent_in_the_background(live_server, live_world, settings):
    from django.db import connection

    if connection.vendor == "sqlite":
        pytest.skip("an in-memory SQLite shared between threads locks whole tables")
    settings.SAYLAU_OTP_SMS_MODE = "background"
    voter = live_world.voters[2]
    from saylau.notify.models import OutboxMessage

    before = OutboxMessage.objects.count()
    with VotingClient(live_server.url, live_world.election.slug) as client:
        client.sign_in(voter.iin, voter.phone)
        deadline = time.monotonic() + 10
        while OutboxMessage.objects.count() == before and time.monotonic() < deadline:
            time.sleep(0.05)
        assert OutboxMessage.objects.count() == before + 1
        client.verify(last_code())


def test_vote_command_prompts(live_server, live_world, monkeypatch):
    from saylau.cli import vote as cli

    world = live_world
    voter = world.voters[3]
    monkeypatch.setattr(cli, "ask_code", last_code)
    runner = CliRunner()
    result = runner.invoke(
        vote_app,
        ["cast", live_server.url, world.election.slug, "--language", "en"],
        input=f"{voter.iin}\n{voter.phone}\n{voter.code}\n1 2\n2\n",
    )
    assert result.exit_code == 0, result.output
    assert "between 1 and 1 marks" in result.output  # "1 2" was refused, "2" accepted
    assert "Candidate 2" in result.output
    ballots = list(services.counted_ballots(world.election))
    assert len(ballots) == 1 and ballots[0].district == voter.district
