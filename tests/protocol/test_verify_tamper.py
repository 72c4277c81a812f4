"""The tamper suite: each case changes one thing in a valid record and `verify_record` must
fail, naming the right check (and item)."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from saylau.crypto import elgamal, group, proofs
from saylau.crypto.elgamal import Ciphertext
from saylau.crypto.encoding import element_hex
from saylau.crypto.hashing import Index
from saylau.crypto.rand import DeterministicRng
from saylau.protocol import credentials as creds
from saylau.protocol.ballot import ballot_from_json, encrypt_ballot, option_context
from saylau.protocol.canonical import canonical_json
from saylau.record.verify import verify_record
from saylau.simulate.run import SimConfig, SimResult, run
from tests.protocol import forgery as F

RNG = DeterministicRng("tamper")


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, SimResult]:
    out = tmp_path_factory.mktemp("pristine") / "rec"
    res = run(
        SimConfig(
            voters=24,
            districts=3,
            trustees=3,
            threshold=2,
            revote_rate=0.3,
            paper_rate=0.1,
            paper_stations=3,  # overrides need stations (and the record's paper part)
            absent_trustees=1,
            out=out,
            workers=1,
            head_every=8,
            seed="tamper-suite",
        )
    )
    return out, res


@pytest.fixture
def record(pristine: tuple[Path, SimResult], tmp_path: Path) -> Path:
    dst = tmp_path / "rec"
    shutil.copytree(pristine[0], dst)
    return dst


def failures(rec: Path) -> list[tuple[str, str, str]]:
    report = verify_record(rec, workers=1)
    return [(f.check, f.item, f.message) for f in report.failures]


def assert_fails(rec: Path, check: str, item: str = "", message: str = "") -> None:
    found = failures(rec)
    assert any(c == check and item in i and message in m for c, i, m in found), found


def test_pristine_record_verifies(pristine: tuple[Path, SimResult]) -> None:
    report = verify_record(pristine[0], workers=2)
    assert report.ok, report.failures
    assert report.stats["paper_overrides"] > 0
    assert report.stats["ballots"] > report.stats["counted"]  # re-votes happened


def first_ballot(events: list[dict[str, Any]], kind: str = "cast") -> int:
    return next(i for i, e in enumerate(events) if e["type"] == kind)


def edit_ballot(rec: Path, fn: Callable[[dict[str, Any]], None], kind: str = "cast") -> int:
    events = F.leaves(rec)
    i = first_ballot(events, kind)
    fn(events[i]["ballot"])
    F.write_leaves(rec, events)
    F.reseal(rec)
    return i


def secret_for(pristine: tuple[Path, SimResult], raw: dict[str, Any]) -> creds.SecretCredential:
    ctx = F.load_ctx(pristine[0])
    for code in pristine[1].secret_codes:
        c = creds.derive(ctx.manifest.election_id, code)
        if c.public.hex() == raw["credential"]:
            return c
    raise AssertionError("credential not found")


def test_altered_ciphertext(record: Path) -> None:
    g = element_hex(group.GENERATOR)
    i = edit_ballot(record, lambda b: b["contests"][0]["choices"][3].update(beta=g))
    assert_fails(record, "ballot", f"leaf {i}", "0/1 proof fails")
    assert_fails(record, "board.heads", message="root does not match")


def test_proof_copied_from_another_ballot(record: Path) -> None:
    events = F.leaves(record)
    ballots = [i for i, e in enumerate(events) if "ballot" in e]
    a, b = ballots[0], ballots[1]
    events[a]["ballot"]["contests"][0]["choices"][0]["proof"] = copy.deepcopy(
        events[b]["ballot"]["contests"][0]["choices"][0]["proof"]
    )
    F.write_leaves(record, events)
    F.reseal(record)
    assert_fails(record, "ballot", f"leaf {a}", "0/1 proof fails")


def _forge_marks(
    pristine: tuple[Path, SimResult], rec: Path, contest_index: int, marks: list[int]
) -> int:
    ctx = F.load_ctx(rec)
    events = F.leaves(rec)
    i = first_ballot(events)
    raw = events[i]["ballot"]
    cred = secret_for(pristine, raw)
    contest = ctx.manifest.contests_for(raw["district"])[contest_index]
    choices = []
    for j, m in enumerate(marks):
        r = RNG.scalar()
        ct = elgamal.encrypt(ctx.joint_public_key, m, r)
        p = proofs.prove_disjunctive(
            ctx.joint_public_key,
            ct,
            r,
            m,
            (0, 1),
            option_context(ctx.fingerprint, cred.public, contest.id, j),
            RNG,
        )
        choices.append(F.choice_json(ct, p))
    raw["contests"][contest_index]["choices"] = choices  # the old range proof stays
    events[i]["ballot"] = F.resign(ctx, cred, raw, RNG)
    F.write_leaves(rec, events)
    F.reseal(rec)
    return i


def test_two_marks_in_a_vote_for_1_contest(pristine: tuple[Path, SimResult], record: Path) -> None:
    i = _forge_marks(pristine, record, 0, [1, 1] + [0] * 10)
    assert_fails(record, "ballot", f"leaf {i}", "range proof fails")


def test_against_all_plus_a_candidate(pristine: tuple[Path, SimResult], record: Path) -> None:
    i = _forge_marks(pristine, record, 1, [1, 0, 0, 0, 0, 0, 0, 1])
    assert_fails(record, "ballot", f"leaf {i}", "range proof fails")


def test_point_not_in_the_group(record: Path) -> None:
    i = edit_ballot(record, lambda b: b["contests"][0]["choices"][0].update(alpha="ff" * 32))
    assert_fails(record, "ballot", f"leaf {i}", "not a canonical ristretto255 encoding")


def test_non_canonical_encoding(record: Path) -> None:
    p = 2**255 - 19
    i = edit_ballot(
        record,
        lambda b: b["contests"][0]["choices"][0].update(alpha=(p + 1).to_bytes(32, "little").hex()),
    )
    assert_fails(record, "ballot", f"leaf {i}", "canonical")


def test_helios_style_forgery(pristine: tuple[Path, SimResult], record: Path) -> None:
    """A proof that passes a commitments-only Fiat–Shamir hash, for a ciphertext of a value
    that is neither 0 nor 1, is rejected because our challenge hashes the statement."""
    ctx = F.load_ctx(record)
    ct, proof, y = F.helios_forgery(ctx.joint_public_key, RNG)
    assert y not in (0, 1)
    assert F.weak_verify(proof, ctx.joint_public_key, ct)  # the weak verifier is fooled
    events = F.leaves(record)
    i = first_ballot(events)
    raw = events[i]["ballot"]
    raw["contests"][0]["choices"][0] = F.choice_json(ct, proof)
    events[i]["ballot"] = F.resign(ctx, secret_for(pristine, raw), raw, RNG)
    F.write_leaves(record, events)
    F.reseal(record)
    assert_fails(record, "ballot", f"leaf {i}", "0/1 proof fails")


def test_proof_hash_without_the_election_fingerprint(
    pristine: tuple[Path, SimResult], record: Path
) -> None:
    ctx = F.load_ctx(record)
    events = F.leaves(record)
    i = first_ballot(events)
    raw = events[i]["ballot"]
    cred = secret_for(pristine, raw)
    contest = ctx.manifest.contests_for(raw["district"])[0]
    old = raw["contests"][0]["choices"][0]
    # re-prove option 0 as an encryption of 0 with a context that omits the fingerprint
    r = RNG.scalar()
    ct = elgamal.encrypt(ctx.joint_public_key, 0, r)
    p = proofs.prove_disjunctive(
        ctx.joint_public_key, ct, r, 0, (0, 1), [cred.public, contest.id, Index(0)], RNG
    )
    assert old != F.choice_json(ct, p)
    raw["contests"][0]["choices"][0] = F.choice_json(ct, p)
    events[i]["ballot"] = F.resign(ctx, cred, raw, RNG)
    F.write_leaves(record, events)
    F.reseal(record)
    assert_fails(record, "ballot", f"leaf {i}", "0/1 proof fails")


def test_ballot_signed_by_a_credential_not_on_the_list(record: Path) -> None:
    ctx = F.load_ctx(record)
    events = F.leaves(record)
    i = first_ballot(events)
    d = events[i]["ballot"]["district"]
    intruder = creds.generate(ctx.manifest.election_id, RNG)
    sel = {c.id: [1] + [0] * (len(c.options) - 1) for c in ctx.manifest.contests_for(d)}
    events[i]["ballot"] = encrypt_ballot(ctx, d, sel, intruder, RNG).raw
    F.write_leaves(record, events)
    F.reseal(record)
    assert_fails(record, "ballot", f"leaf {i}", "not on the published credential list")


def test_two_ballots_counted_for_one_credential(record: Path) -> None:
    events = F.leaves(record)
    i = first_ballot(events, "revote")
    replaced = next(
        e["ballot"]
        for e in events
        if "ballot" in e and F.tracking_code(e["ballot"]) == events[i]["replaces"]
    )
    # the server counts the replaced ballot as well: one more ballot in the district's sums
    tally = json.loads((record / "tally.json").read_text())
    old = ballot_from_json(replaced)
    d = next(x for x in tally["districts"] if x["id"] == old.district)
    d["ballots_counted"] += 1
    for contest, enc in zip(d["contests"], old.contests, strict=True):
        for opt, choice in zip(contest["options"], enc.choices, strict=True):
            s = Ciphertext(bytes.fromhex(opt["alpha"]), bytes.fromhex(opt["beta"])) + choice.ct
            opt["alpha"], opt["beta"] = s.alpha.hex(), s.beta.hex()
    (record / "tally.json").write_bytes(canonical_json(tally))
    F.reseal(record)
    assert_fails(record, "tally.aggregate", f"district {old.district}", "ballots claimed")
    assert_fails(record, "tally.aggregate", old.district, "encrypted sum differs")


def test_second_cast_instead_of_revote(record: Path) -> None:
    events = F.leaves(record)
    i = first_ballot(events, "revote")
    events[i]["type"] = "cast"
    del events[i]["replaces"]
    F.write_leaves(record, events)
    F.reseal(record)
    assert_fails(record, "board.rule", f"leaf {i}", "second 'cast'")


def test_dropped_leaf(record: Path) -> None:
    events = F.leaves(record)
    del events[first_ballot(events)]
    F.write_leaves(record, events)
    F.reseal(record)
    assert_fails(record, "board.heads", message="root does not match")


def test_reordered_leaves(record: Path) -> None:
    events = F.leaves(record)
    ballots = [i for i, e in enumerate(events) if e["type"] == "cast"]
    a, b = ballots[1], ballots[2]
    events[a], events[b] = events[b], events[a]
    events[a]["time"], events[b]["time"] = events[b]["time"], events[a]["time"]
    F.write_leaves(record, events)
    F.reseal(record)
    assert_fails(record, "board.heads", message="root does not match")


def test_receipt_whose_leaf_is_missing(record: Path) -> None:
    receipts = [json.loads(x) for x in (record / "receipts.jsonl").read_bytes().splitlines()]
    target = receipts[0]
    events = F.leaves(record)
    idx = target["inclusion_proof"]["leaf_index"]
    del events[idx]
    F.write_leaves(record, events)
    F.reseal(record)
    assert_fails(record, "receipt", f"receipt 0 ({target['tracking_code'][:16]})")


def test_wrong_decryption_share(record: Path) -> None:
    tally = json.loads((record / "tally.json").read_text())
    opt = tally["districts"][0]["contests"][0]["options"][2]
    opt["shares"][0]["share"] = element_hex(group.base_mul(12345))
    (record / "tally.json").write_bytes(canonical_json(tally))
    F.reseal(record)
    d, c = tally["districts"][0]["id"], tally["districts"][0]["contests"][0]["id"]
    assert_fails(record, "tally.decryption", f"{d}/{c}/{opt['id']} trustee")


def test_wrong_announced_result(record: Path) -> None:
    results = json.loads((record / "results.json").read_text())
    d = next(iter(results["districts"]))
    c = next(iter(results["districts"][d]["contests"]))
    o = next(iter(results["districts"][d]["contests"][c]))
    results["districts"][d]["contests"][c][o] += 1
    (record / "results.json").write_bytes(canonical_json(results))
    F.reseal(record)
    assert_fails(record, "results", f"{d}/{c}/{o}")


def test_wrong_count_in_tally(record: Path) -> None:
    tally = json.loads((record / "tally.json").read_text())
    tally["districts"][1]["contests"][1]["options"][0]["count"] += 1
    (record / "tally.json").write_bytes(canonical_json(tally))
    F.reseal(record)
    assert_fails(record, "tally.count")


def test_changed_manifest(record: Path) -> None:
    m = json.loads((record / "manifest.json").read_text())
    m["contests"][0]["options"][0]["name"]["en"] = "Someone Else"
    (record / "manifest.json").write_bytes(canonical_json(m))
    F.reseal(record)
    assert_fails(record, "fingerprint", "election.json")


def test_unsealed_change_is_reported_as_a_file_digest(record: Path) -> None:
    (record / "results.json").write_bytes(b"{}")
    assert_fails(record, "record.files", "results.json", "SHA-256")


def test_dkg_with_a_bad_dealer_kept_in_qual(tmp_path: Path) -> None:
    rec = tmp_path / "rec"
    run(
        SimConfig(
            voters=6,
            districts=3,
            trustees=3,
            threshold=2,
            out=rec,
            workers=1,
            absent_trustees=0,
            seed="bad-dealer",
            faulty_trustees=frozenset({2}),
        )
    )
    doc = json.loads((rec / "dkg.json").read_text())
    assert 2 not in doc["qual"] and doc["complaints"], "the bad dealer must be excluded"
    assert verify_record(rec, workers=1).ok
    doc["qual"] = sorted([*doc["qual"], 2])
    (rec / "dkg.json").write_bytes(canonical_json(doc))
    F.reseal(rec)
    assert_fails(rec, "dkg", "dkg.json")


def test_dkg_changed_commitment(record: Path) -> None:
    doc = json.loads((record / "dkg.json").read_text())
    doc["extractions"][0]["commitments"][1] = element_hex(group.base_mul(7))
    (record / "dkg.json").write_bytes(canonical_json(doc))
    F.reseal(record)
    assert_fails(record, "dkg", "dkg.json")


# --- malformed records found while writing docs/protocol.md: reported, never a crash -------


def test_credential_listed_twice(record: Path) -> None:
    doc = json.loads((record / "credentials.json").read_text())
    d1, d2 = list(doc["districts"])[:2]
    doc["districts"][d2][0] = doc["districts"][d1][0]
    (record / "credentials.json").write_bytes(canonical_json(doc))
    F.reseal(record)
    assert_fails(record, "credentials", "credentials.json", "twice")


def test_identity_credential(record: Path) -> None:
    doc = json.loads((record / "credentials.json").read_text())
    d = next(iter(doc["districts"]))
    doc["districts"][d][0] = "00" * 32
    (record / "credentials.json").write_bytes(canonical_json(doc))
    F.reseal(record)
    assert_fails(record, "credentials", f"credentials.{d}[0]", "identity")


def test_deeply_nested_leaf(record: Path) -> None:
    lines = (record / "board/leaves.jsonl").read_bytes().splitlines()
    lines[1] = b"[" * 100_000 + b"]" * 100_000
    (record / "board/leaves.jsonl").write_bytes(b"\n".join(lines) + b"\n")
    F.reseal(record)
    assert_fails(record, "board.leaf", "leaf 1", "too deeply")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (b'{"schema": "saylau-results/1", "x": 1.5}', "integers"),
        (b'{"schema": "saylau-results/1", "schema": "saylau-results/1"}', "duplicate key"),
        (b'{"schema": "saylau-results/1", "x": NaN}', "integers"),
    ],
)
def test_floats_and_duplicate_keys_are_refused(record: Path, text: bytes, message: str) -> None:
    (record / "results.json").write_bytes(text)
    F.reseal(record)
    assert_fails(record, "results", "results.json", message)


def test_unlisted_file_and_path_outside_the_record(record: Path) -> None:
    (record / "extra.json").write_text("{}")
    idx = json.loads((record / "record.json").read_text())
    idx["files"]["../outside.json"] = "00" * 32
    (record / "record.json").write_bytes(canonical_json(idx))
    assert_fails(record, "record.files", "extra.json", "not listed")
    assert_fails(record, "record.files", "../outside.json", "inside the record")


def test_tally_option_out_of_order(record: Path) -> None:
    tally = json.loads((record / "tally.json").read_text())
    opts = tally["districts"][0]["contests"][0]["options"]
    opts[0], opts[1] = opts[1], opts[0]
    (record / "tally.json").write_bytes(canonical_json(tally))
    F.reseal(record)
    assert_fails(record, "tally.decryption", message="should be")


def test_uppercase_hex_in_ballot_election(record: Path) -> None:
    i = edit_ballot(record, lambda b: b.update(election=b["election"].upper()))
    assert_fails(record, "ballot", f"leaf {i}", "lowercase hex")


def test_record_election_id_mismatch(record: Path) -> None:
    idx = json.loads((record / "record.json").read_text())
    idx["election_id"] = "another-election"
    (record / "record.json").write_bytes(canonical_json(idx))
    assert_fails(record, "record", "record.json", "election_id")
