"""The key-ceremony relay: every message checked on arrival, bad ones refused (and audited),
phases closed without silent trustees, a dealer rebuilt from the others' shares."""

from __future__ import annotations

import copy

import pytest

from saylau import trustee
from saylau.crypto import dkg, dkg_json
from saylau.crypto.rand import DeterministicRng
from saylau.demo import play as demo
from saylau.elections import services
from saylau.elections.errors import MessageConflict, MessageRejected, NotReady
from saylau.elections.models import AuditEvent, Ceremony, RelayedMessage, Status
from saylau.trustee import key_ceremony as trustee_ceremony
from tests.elections.conftest import SLUG, close_roll

pytestmark = pytest.mark.django_db


@pytest.fixture
def trustees(election, tmp_path):
    """Key files of trustees 1..3 (made, nothing sent)."""
    out = {}
    for j in (1, 2, 3):
        client = demo.InProcessClient(election, j)
        kf = trustee.init_keyfile(client, "in-process", j, "", DeterministicRng(f"t{j}"))
        path = tmp_path / f"t{j}.json"
        kf.save(path)
        out[j] = (kf, path)
    return out


def step(election, trustees, *who):
    for j in who:
        kf, path = trustees[j]
        trustee.ceremony(demo.InProcessClient(election, j), kf, path, DeterministicRng(f"s{j}"))


def once(election, trustees, *who):
    """Exactly one step (one message at most) for each trustee named."""
    for j in who:
        kf, path = trustees[j]
        client = demo.InProcessClient(election, j)
        trustee_ceremony._step(client, kf, path, client.get("/ceremony"), DeterministicRng(f"o{j}"))


def phase(election):
    return Ceremony.objects.get(election=election).phase


def rejected(election, sender, kind, payload, error=MessageRejected):
    before = AuditEvent.objects.filter(action="ceremony.rejected").count()
    with pytest.raises(error) as caught:
        services.submit_ceremony_message(election, sender, kind, payload)
    assert AuditEvent.objects.filter(action="ceremony.rejected").count() == before + 1
    return str(caught.value)


def test_transport_keys_are_checked(english, election, trustees):
    key1 = trustees[1][0].transport_key
    bad = copy.deepcopy(key1)
    bad["proof"]["response"] = trustees[2][0].transport_key["proof"]["response"]
    assert "proof of knowledge does not verify" in rejected(election, 1, "transport_key", bad)
    assert "sent by trustee 2" in rejected(election, 2, "transport_key", key1)
    broken = {**key1, "public": "zz"}
    assert "transport_key.public" in rejected(election, 1, "transport_key", broken)
    assert "Unknown message kind" in rejected(election, 1, "gossip", {})
    assert "phase" in rejected(election, 1, "deal", {}, MessageConflict)
    services.submit_ceremony_message(election, 1, "transport_key", key1)
    assert "already sent" in rejected(election, 1, "transport_key", key1, MessageConflict)
    reason = AuditEvent.objects.filter(action="ceremony.rejected").first().details["reason"]
    assert "does not verify" in reason
    assert RelayedMessage.objects.filter(election=election).count() == 1


def test_deals_complaints_and_extractions_are_checked(english, election, trustees):
    once(election, trustees, 1, 2, 3, 1, 2)  # three keys, two deals
    assert phase(election) == "deals"
    deal = copy.deepcopy(trustees[1][0].deal)
    assert "sent by trustee 3" in rejected(election, 3, "deal", deal)
    forged = copy.deepcopy(trustees[1][0].deal)
    forged["dealer"] = 3
    assert "deal signature does not verify" in rejected(election, 3, "deal", forged)
    assert "already sent" in rejected(election, 1, "deal", deal, MessageConflict)
    once(election, trustees, 3, 1)  # the last deal, then 1 opens its shares
    assert phase(election) == "complaints"
    state = services.ceremony_state(election)
    deal3 = dkg_json.deal_from_json(state["deals"][2])
    kf2 = trustees[2][0]
    other = dkg.disclose(kf2.transport(), deal3, kf2.context(), DeterministicRng("x"))
    payload = {"disclosures": [dkg_json.disclosure_to_json(other)]}
    assert "only disclose its own" in rejected(election, 3, "complaint", payload)
    assert "disclosures" in rejected(election, 2, "complaint", {"nope": []})
    once(election, trustees, 2, 3)
    assert phase(election) == "extractions"
    once(election, trustees, 1)
    sent = RelayedMessage.objects.get(election=election, kind="extraction", sender=1).payload
    assert "sent by 2" in rejected(election, 2, "extraction", sent)
    bad = copy.deepcopy(sent)
    bad["dealer"] = 3
    bad["proof"]["response"] = bad["signature"]["response"]
    assert "extraction signature does not verify" in rejected(election, 3, "extraction", bad)


def test_a_silent_dealer_is_left_out_when_the_organiser_closes_the_deals(
    english, election, trustees
):
    step(election, trustees, 1, 2, 3)
    with pytest.raises(NotReady, match="cannot be skipped"):
        Ceremony.objects.filter(election=election).update(phase="keys")
        services.force_ceremony_phase(election, actor="organiser")
    Ceremony.objects.filter(election=election).update(phase="deals")
    RelayedMessage.objects.filter(election=election, kind="deal").delete()
    step(election, trustees, 1, 2)  # trustee 3 stays silent
    assert services.ceremony_state(election)["waiting_for"] == [3]
    services.force_ceremony_phase(election, actor="organiser")
    assert phase(election) == "complaints"
    forced = AuditEvent.objects.get(action="ceremony.phase_forced")
    assert forced.details == {"previous": "deals", "phase": "complaints", "silent": [3]}
    for _ in range(3):
        step(election, trustees, 1, 2, 3)
    ceremony = Ceremony.objects.get(election=election)
    assert ceremony.phase == "complete" and ceremony.qual == [1, 2]
    assert all(kf.secret_share for kf, _ in trustees.values())


def test_a_dealer_silent_in_phase_two_is_rebuilt_from_the_others_shares(
    election, trustees, memory_board
):
    close_roll(SLUG, {"KZ-75": 2, "KZ-71": 1})
    election = services.transition(election, Status.ROLL_CLOSED, actor="test")
    once(election, trustees, 1, 2, 3, 1, 2, 3, 1, 2, 3)  # keys, deals, complaints
    assert phase(election) == "extractions"
    once(election, trustees, 1, 3)  # dealer 2 never extracts
    assert services.ceremony_state(election)["waiting_for"] == [2]
    services.force_ceremony_phase(election, actor="organiser")
    state = services.ceremony_state(election)
    assert state["phase"] == "disclosures" and state["to_reconstruct"] == [2]
    once(election, trustees, 1)
    assert services.ceremony_state(election)["waiting_for"] == [2, 3]
    once(election, trustees, 3, 2)
    done = AuditEvent.objects.get(action="ceremony.complete").details
    assert done["reconstructed"] == [2] and done["qual"] == [1, 2, 3]
    step(election, trustees, 1, 2, 3)
    assert all(kf.secret_share for kf, _ in trustees.values())
    election = services.transition(election, Status.KEYS_READY, actor="test")
    assert election.joint_public_key == trustees[2][0].joint_public_key


def test_reset_discards_the_messages(english, election, trustees):
    step(election, trustees, 1, 2)
    services.reset_ceremony(election, actor="organiser")
    assert RelayedMessage.objects.filter(election=election).count() == 0
    assert services.ceremony_state(election)["phase"] == "keys"
    assert AuditEvent.objects.filter(action="ceremony.reset").count() == 1


def test_state_shows_the_public_board(election, trustees):
    step(election, trustees, 1)
    state = services.ceremony_state(election, 1)
    assert state["you"] == 1 and state["phase"] == "keys"
    assert state["waiting_for"] == [2, 3]
    assert state["transport_keys"] == [trustees[1][0].transport_key]
    assert "transport_secret" not in str(state)
