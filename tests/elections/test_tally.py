"""Tally and publication: sums of the counted ballots, decryption shares checked on arrival,
one trustee absent, and a published record that the universal verifier accepts."""

from __future__ import annotations

import copy
import json
import random
import zipfile

import pytest

from saylau.crypto.rand import DeterministicRng
from saylau.demo import play as demo
from saylau.elections import services
from saylau.elections.errors import (
    MessageConflict,
    MessageRejected,
    RecordNotPublished,
    TransitionRefused,
)
from saylau.elections.models import AuditEvent, Election, Status
from saylau.protocol.ballot import encrypt_ballot
from saylau.protocol.credentials import derive
from saylau.record.verify import verify_record
from tests.elections.conftest import SLUG, close_roll, through_stage, vote
from tests.elections.memory_board import MemoryBoard

pytestmark = pytest.mark.django_db
ROLL = {"KZ-75": 4, "KZ-71": 3}


@pytest.fixture
def closed(election, memory_board):
    members = close_roll(SLUG, ROLL)
    election, info = through_stage(election, Status.OPEN)
    info["expected"] = vote(election, info["ca"], random.Random(11))
    info["members"] = members
    election = services.transition(election, Status.CLOSED, actor="test")
    services.prepare_tally(election, actor="test")
    return election, info


def shares_of(election, info, j):
    sent = {}

    class Catch(demo.InProcessClient):
        def post(self, path, body):
            sent.update(body)
            return {}

    kf, path = info["keyfiles"][j]
    from saylau import trustee

    trustee.decrypt(Catch(election, j), kf, path, election.manifest, DeterministicRng("d"))
    return sent


def test_bad_decryption_shares_are_refused(english, closed):
    election, info = closed
    good = shares_of(election, info, 1)
    tampered = copy.deepcopy(good)
    option = tampered["districts"]["KZ-75"]["council"][0]
    option["share"] = good["districts"]["KZ-75"]["council"][1]["share"]
    with pytest.raises(MessageRejected, match="proof does not verify"):
        services.submit_decryption_shares(election, 1, tampered)
    with pytest.raises(MessageRejected, match="names trustee 1"):
        services.submit_decryption_shares(election, 2, good)
    short = copy.deepcopy(good)
    del short["districts"]["KZ-71"]
    with pytest.raises(MessageRejected, match="exactly the election's districts"):
        services.submit_decryption_shares(election, 1, short)
    assert AuditEvent.objects.filter(action="tally.shares_rejected").count() == 3
    services.submit_decryption_shares(election, 1, good)
    with pytest.raises(MessageConflict):
        services.submit_decryption_shares(election, 1, good)


def test_tally_with_one_trustee_absent_and_the_published_record(english, closed, var_dir):
    election, info = closed
    with pytest.raises(RecordNotPublished):
        services.record_path(election)
    assert services.election_results(election) is None
    demo.decrypt_in_process(election, info["keyfiles"], [2, 3])  # trustee 1 is absent
    election = services.transition(election, Status.TALLIED, actor="test")
    results = services.election_results(election)
    for district, contests in info["expected"].items():
        assert results["districts"][district]["contests"] == contests
    assert election.tally.document["trustees"] == [2, 3]
    election = services.transition(election, Status.PUBLISHED, actor="test")

    path = services.record_path(election)
    assert path == var_dir / "records" / SLUG / f"{SLUG}-record.zip"
    report = verify_record(path, workers=1)
    assert report.ok, report.failures
    assert report.stats["counted"] == sum(ROLL.values())
    assert verify_record(services.records_dir(election), workers=1).ok
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        audit = archive.read("audit.jsonl").decode()
    assert {"manifest.json", "dkg.json", "tally.json", "audit.jsonl", "board/leaves.jsonl"} <= names
    lines = [json.loads(line) for line in audit.splitlines()]
    assert lines[0]["action"] == "election.created"
    assert "tally.decrypted" in {line["action"] for line in lines}
    for member in info["members"]:
        assert member.phone not in audit and member.iin not in audit
        assert member.phone[2:] not in audit


def test_only_the_last_ballot_of_a_credential_counts(closed_with_revote):
    election, expected = closed_with_revote
    results = services.election_results(election)
    for district, contests in expected.items():
        assert results["districts"][district]["contests"] == contests


@pytest.fixture
def closed_with_revote(election, memory_board):
    close_roll(SLUG, {"KZ-75": 2, "KZ-71": 1})
    election, info = through_stage(election, Status.OPEN)
    ctx = services.election_context(election)
    row = info["ca"].credentials[0]
    credential = derive(SLUG, row["code"])
    first = {
        c.id: [1] + [0] * (len(c.options) - 1) for c in ctx.manifest.contests_for(row["district"])
    }
    second = {
        c.id: [0, 1] + [0] * (len(c.options) - 2)
        for c in ctx.manifest.contests_for(row["district"])
    }
    for k, selection in enumerate((first, second)):
        ballot = encrypt_ballot(
            ctx, row["district"], selection, credential, DeterministicRng(str(k))
        )
        MemoryBoard.cast(election, ballot)
    election = services.transition(election, Status.CLOSED, actor="test")
    services.prepare_tally(election, actor="test")
    demo.decrypt_in_process(election, info["keyfiles"], [1, 2])
    election = services.transition(election, Status.TALLIED, actor="test")
    election = services.transition(election, Status.PUBLISHED, actor="test")
    assert verify_record(services.record_path(election), workers=1).ok
    expected = {
        row["district"]: {
            c.id: {o.id: second[c.id][j] for j, o in enumerate(c.options)}
            for c in ctx.manifest.contests_for(row["district"])
        }
    }
    return election, expected


def test_a_record_that_does_not_verify_is_not_published(english, closed):
    election, info = closed
    demo.decrypt_in_process(election, info["keyfiles"], [1, 2])
    election = services.transition(election, Status.TALLIED, actor="test")
    log = MemoryBoard.log(election)
    log.leaves.pop(1)  # the server "drops" a ballot from the record
    with pytest.raises(TransitionRefused, match="does not verify"):
        services.transition(election, Status.PUBLISHED, actor="test")
    assert Election.objects.get(pk=election.pk).status == Status.TALLIED
    with pytest.raises(RecordNotPublished):
        services.record_path(Election.objects.get(pk=election.pk))


def test_sums_are_prepared_once_and_only_after_closing(english, election, memory_board):
    from saylau.elections.errors import NotReady

    with pytest.raises(NotReady):
        services.prepare_tally(election, actor="test")
