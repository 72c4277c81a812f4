"""JSON codec of key-ceremony messages and transcripts: round trips and strict decoding."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from saylau.crypto import dkg, dkg_json
from saylau.crypto.errors import InvalidElement, InvalidEncoding, InvalidScalar
from saylau.crypto.group import L
from saylau.crypto.hashing import Index, Item
from saylau.crypto.rand import DeterministicRng

CTX: list[Item] = ["saylau-v1/dkg", "election-1", Index(5), Index(3)]
TR, _ = dkg.run_ceremony(5, 3, CTX, DeterministicRng("json"), frozenset({2}), frozenset({4}))
NOT_AN_ELEMENT = "ff" * 32


def doc() -> dict[str, Any]:
    return copy.deepcopy(dkg_json.transcript_to_json(TR))


def test_transcript_round_trip() -> None:
    text = json.dumps(dkg_json.transcript_to_json(TR), sort_keys=True)
    back = dkg_json.transcript_from_json(json.loads(text))
    assert back == TR
    assert dkg.verify_transcript(back, CTX).qual == (1, 3, 4, 5)
    obj = json.loads(text)
    assert obj["schema"] == "saylau-dkg/1"
    assert len(obj["deals"][0]["shares"][0]["ciphertext"]) == 128
    assert len(obj["joint_public_key"]) == 64
    assert obj["complaints"] and obj["disclosures"]  # the scenario exercises both lists


def test_single_message_round_trips() -> None:
    assert (
        dkg_json.transport_key_from_json(dkg_json.transport_key_to_json(TR.transport_keys[0]))
        == TR.transport_keys[0]
    )
    assert dkg_json.deal_from_json(dkg_json.deal_to_json(TR.deals[2])) == TR.deals[2]
    assert (
        dkg_json.disclosure_from_json(dkg_json.disclosure_to_json(TR.complaints[0]))
        == TR.complaints[0]
    )
    assert (
        dkg_json.extraction_from_json(dkg_json.extraction_to_json(TR.extractions[1]))
        == TR.extractions[1]
    )


def test_bad_element_names_the_field() -> None:
    obj = doc()
    obj["deals"][2]["commitments"][1] = NOT_AN_ELEMENT
    with pytest.raises(InvalidElement, match=r"^dkg\.deals\[2\]\.commitments\[1\]: "):
        dkg_json.transcript_from_json(obj)
    obj = doc()
    obj["deals"][0]["shares"][3]["ephemeral"] = NOT_AN_ELEMENT
    with pytest.raises(InvalidElement, match=r"dkg\.deals\[0\]\.shares\[3\]\.ephemeral"):
        dkg_json.transcript_from_json(obj)


def test_non_canonical_scalar_names_the_field() -> None:
    obj = doc()
    obj["extractions"][0]["proof"]["response"] = L.to_bytes(32, "little").hex()
    with pytest.raises(InvalidScalar, match=r"dkg\.extractions\[0\]\.proof\.response"):
        dkg_json.transcript_from_json(obj)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("n",), True, r"dkg\.n: expected an integer"),
        (("t",), 0, r"dkg\.t: expected an integer in 1\.\."),
        (("qual",), "1,3", r"dkg\.qual: expected a JSON array"),
        (("qual", 0), 1.0, r"dkg\.qual\[0\]: expected an integer"),
        (("deals", 1, "dealer"), 10**30, r"dkg\.deals\[1\]\.dealer"),
        (("deals", 1, "shares", 0, "ciphertext"), "00" * 63, r"shares\[0\]\.ciphertext"),
        (("complaints", 0, "dh"), "AB" * 32, r"complaints\[0\]\.dh: not lowercase hex"),
        (("transport_keys", 0, "public"), "zz" * 32, r"keys\[0\]\.public: not lowercase hex"),
        (("joint_public_key",), "00" * 31, r"dkg\.joint_public_key: expected 64 hex"),
        (("schema",), "saylau-dkg/2", r"dkg\.schema"),
        (("disclosures", 0, "proof"), [], r"dkg\.disclosures\[0\]\.proof: expected a JSON obj"),
    ],
)
def test_bad_fields_are_rejected(path: tuple[Any, ...], value: Any, message: str) -> None:
    obj = doc()
    target = obj
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(InvalidEncoding, match=message):
        dkg_json.transcript_from_json(obj)


def test_missing_and_extra_keys_are_rejected() -> None:
    obj = doc()
    del obj["extractions"][0]["signature"]
    with pytest.raises(InvalidEncoding, match=r"dkg\.extractions\[0\]: expected the keys"):
        dkg_json.transcript_from_json(obj)
    obj = doc()
    obj["verification_keys"] = {}
    with pytest.raises(InvalidEncoding, match=r"^dkg: expected the keys"):
        dkg_json.transcript_from_json(obj)
    with pytest.raises(InvalidEncoding, match="deal: expected a JSON object"):
        dkg_json.deal_from_json([])
