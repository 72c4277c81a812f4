"""Key ceremony (GJKR New-DKG): honest runs, complaints, reconstruction, and tampering."""

from __future__ import annotations

import dataclasses
import functools
import itertools
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.crypto import dkg, dkg_deal, dkg_extract, group, polynomial, proofs
from saylau.crypto.dkg import (
    Deal,
    DealerSecret,
    Extraction,
    ShareDisclosure,
    Transcript,
    TransportKey,
    TransportSecret,
)
from saylau.crypto.errors import DealerFault, InvalidDkg, InvalidShare
from saylau.crypto.group import GENERATOR, IDENTITY, Element, L
from saylau.crypto.hashing import Index, Item, hash_to_element
from saylau.crypto.rand import DeterministicRng
from saylau.crypto.threshold import lagrange_at_zero


def ctx(n: int, t: int) -> list[Item]:
    return ["saylau-v1/dkg", "election-1", Index(n), Index(t)]


@functools.cache
def ceremony(
    n: int, t: int, bad: frozenset[int] = frozenset(), silent: frozenset[int] = frozenset()
) -> tuple[Transcript, dict[int, int]]:
    return dkg.run_ceremony(n, t, ctx(n, t), DeterministicRng(f"ceremony {n} {t}"), bad, silent)


def assert_key_works(result: dkg.DkgResult, shares: dict[int, int], t: int) -> None:
    """Every trustee's share matches X_j, and any ≥ t of them interpolate to log_G K."""
    for j, x in shares.items():
        assert group.base_mul(x) == result.verification_keys[j]
    for size in range(t, len(shares) + 1):
        for subset in itertools.combinations(sorted(shares), size):
            x = sum(lagrange_at_zero(j, subset) * shares[j] for j in subset) % L
            assert group.base_mul(x) == result.joint_public_key


# --- A ceremony played step by step, so that tests can forge any one message ---------------


@dataclass
class Board:
    n: int
    t: int
    ctx: list[Item]
    rng: DeterministicRng
    transports: dict[int, TransportSecret]
    keys: list[TransportKey]
    pub: dict[int, Element]
    secrets: dict[int, DealerSecret]
    deals: dict[int, Deal]

    def trustees(self) -> range:
        return range(1, self.n + 1)

    def resign_deal(self, d: Deal) -> Deal:
        """A dealer signing whatever it likes: a cheating but authentic deal."""
        return dkg_deal.signed_deal(
            self.transports[d.dealer], d.commitments, d.shares, self.ctx, self.rng
        )

    def resign_extraction(self, e: Extraction) -> Extraction:
        return dkg_extract.signed_extraction(
            self.transports[e.dealer], e.commitments, e.proof, self.ctx, self.rng
        )

    def disclose(self, dealer: int, recipient: int) -> ShareDisclosure:
        return dkg.disclose(self.transports[recipient], self.deals[dealer], self.ctx, self.rng)

    def extract(self, dealer: int) -> Extraction:
        return dkg.extract(self.transports[dealer], self.secrets[dealer], self.ctx, self.rng)

    def honest_key(self, qual: tuple[int, ...]) -> Element:
        """K computed from the dealers' secrets, independently of the verifier."""
        return group.base_mul(sum(self.secrets[i].coefficients[0] for i in qual))

    def transcript(
        self,
        qual: tuple[int, ...],
        complaints: tuple[ShareDisclosure, ...] = (),
        extractions: tuple[Extraction, ...] | None = None,
        disclosures: tuple[ShareDisclosure, ...] = (),
        key: Element | None = None,
    ) -> Transcript:
        if extractions is None:
            extractions = tuple(self.extract(i) for i in qual)
        return Transcript(
            self.n,
            self.t,
            tuple(self.keys),
            tuple(self.deals[i] for i in sorted(self.deals)),
            complaints,
            qual,
            extractions,
            disclosures,
            self.honest_key(qual) if key is None else key,
        )

    def verify(self, tr: Transcript) -> dkg.DkgResult:
        return dkg.verify_transcript(tr, self.ctx)


def board(n: int = 5, t: int = 3, seed: str = "board") -> Board:
    rng = DeterministicRng(seed)
    c = ctx(n, t)
    transports, keys = {}, []
    for j in range(1, n + 1):
        transports[j], key = dkg.make_transport_key(j, c, rng)
        keys.append(key)
    pub = dkg.check_transport_keys(keys, n, c)
    secrets, deals = {}, {}
    for i in range(1, n + 1):
        secrets[i], deals[i] = dkg.deal(transports[i], n, t, keys, c, rng)
    return Board(n, t, c, rng, transports, keys, pub, secrets, deals)


ALL = (1, 2, 3, 4, 5)


# --- Honest ceremonies ---------------------------------------------------------------------


@pytest.mark.parametrize(("n", "t"), [(1, 1), (3, 2), (5, 3)])
def test_full_ceremony(n: int, t: int) -> None:
    tr, shares = ceremony(n, t)
    result = dkg.verify_transcript(tr, ctx(n, t))
    assert result.qual == tuple(range(1, n + 1))
    assert result.reconstructed == ()
    assert tr.complaints == () and tr.disclosures == ()
    assert result.joint_public_key == tr.joint_public_key
    assert result.joint_public_key == group.sum_elements([e.commitments[0] for e in tr.extractions])
    assert sorted(result.verification_keys) == list(range(1, n + 1))
    assert_key_works(result, shares, t)


def test_fewer_than_t_shares_do_not_give_the_key() -> None:
    tr, shares = ceremony(5, 3)
    for subset in itertools.combinations(ALL, 2):
        x = sum(lagrange_at_zero(j, subset) * shares[j] for j in subset) % L
        assert group.base_mul(x) != tr.joint_public_key


def test_pedersen_generator() -> None:
    assert dkg.PEDERSEN_H == hash_to_element("saylau-v1/generator/pedersen-h", b"H")
    assert dkg.PEDERSEN_H not in (GENERATOR, IDENTITY)


def test_step_by_step_ceremony_with_per_trustee_functions() -> None:
    b = board()
    received: dict[int, dict[int, dkg.ReceivedShare]] = {j: {} for j in b.trustees()}
    for d in b.deals.values():
        dkg.check_deal(d, b.n, b.t, b.pub, b.ctx)
        for j in b.trustees():
            if j != d.dealer:
                share = dkg.open_share(b.transports[j], d, b.ctx)
                assert share == dkg.dealer_share(b.secrets[d.dealer], j)
                received[j][d.dealer] = share
    qual = dkg.qualified(b.n, b.t, b.keys, list(b.deals.values()), [], b.ctx)
    assert qual == ALL
    extractions = tuple(b.extract(i) for i in qual)
    for e in extractions:
        dkg.check_extraction(e, b.t, b.pub, b.ctx)
        for j in b.trustees():
            if j != e.dealer:
                dkg.check_feldman(received[j][e.dealer], e)
    assert (
        dkg.to_reconstruct(b.n, b.t, b.keys, list(b.deals.values()), [], extractions, [], b.ctx)
        == ()
    )
    result = b.verify(b.transcript(qual, extractions=extractions))
    shares = {j: dkg.secret_share(j, result, b.secrets[j], received[j]) for j in b.trustees()}
    assert_key_works(result, shares, b.t)


@settings(max_examples=25, deadline=None)
@given(st.lists(st.integers(0, L - 1), min_size=1, max_size=6), st.data())
def test_interpolation_recovers_the_polynomial(
    coefficients: list[int], data: st.DataObject
) -> None:
    xs = data.draw(
        st.lists(
            st.integers(1, 1000),
            min_size=len(coefficients),
            max_size=len(coefficients),
            unique=True,
        )
    )
    points = {x: polynomial.evaluate(coefficients, x) for x in xs}
    assert polynomial.interpolate(points) == tuple(coefficients)


@pytest.mark.parametrize(("n", "t"), [(3, 0), (3, 4), (0, 0), (dkg.MAX_TRUSTEES + 1, 2)])
def test_bad_parameters(n: int, t: int) -> None:
    with pytest.raises(InvalidDkg, match="1 ≤ t ≤ n"):
        dkg.run_ceremony(n, t, ctx(3, 2), DeterministicRng("p"))


# --- Transport keys ------------------------------------------------------------------------


def test_transport_key_proofs_are_checked() -> None:
    b = board()
    bad = dataclasses.replace(b.keys[2], proof=proofs.SchnorrProof(1, 2))
    with pytest.raises(InvalidDkg, match="trustee 3: transport key proof"):
        dkg.check_transport_keys([*b.keys[:2], bad, *b.keys[3:]], 5, b.ctx)
    # A key proved for trustee 3 cannot be passed off as trustee 4's.
    moved = dataclasses.replace(b.keys[2], trustee=4)
    with pytest.raises(InvalidDkg, match="trustee 4: transport key proof"):
        dkg.check_transport_keys([*b.keys[:3], moved, b.keys[4]], 5, b.ctx)
    with pytest.raises(InvalidDkg, match="one for each trustee"):
        dkg.check_transport_keys(b.keys[:4], 5, b.ctx)


def test_transcript_is_bound_to_its_context() -> None:
    tr, _ = ceremony(3, 2)
    with pytest.raises(InvalidDkg):
        dkg.verify_transcript(tr, ["saylau-v1/dkg", "election-2", Index(3), Index(2)])


# --- Phase 1: wrong commitments and bad shares --------------------------------------------


def test_wrong_pedersen_commitment_gets_the_dealer_excluded() -> None:
    b = board()
    d = b.deals[2]
    wrong = group.add(d.commitments[1], GENERATOR)
    b.deals[2] = b.resign_deal(
        dataclasses.replace(d, commitments=(d.commitments[0], wrong, d.commitments[2]))
    )
    complaints = []
    for j in (1, 3, 4, 5):
        with pytest.raises(InvalidShare, match=r"dealer 2: share for trustee \d fails"):
            dkg.open_share(b.transports[j], b.deals[2], b.ctx)
        complaints.append(b.disclose(2, j))
    qual = dkg.qualified(5, 3, b.keys, list(b.deals.values()), complaints, b.ctx)
    assert qual == (1, 3, 4, 5)
    assert b.verify(b.transcript(qual, tuple(complaints))).qual == qual
    with pytest.raises(InvalidDkg, match=r"dkg\.qual"):
        b.verify(b.transcript(ALL, tuple(complaints)))


def test_commitment_changed_after_signing_is_rejected() -> None:
    b = board()
    d = b.deals[2]
    b.deals[2] = dataclasses.replace(d, commitments=(GENERATOR, *d.commitments[1:]))
    with pytest.raises(InvalidDkg, match="dealer 2: deal signature"):
        b.verify(b.transcript(ALL))
    with pytest.raises(InvalidDkg, match="dealer 2: deal signature"):
        dkg.check_deal(b.deals[2], 5, 3, b.pub, b.ctx)


def test_bad_share_complaint_is_founded_and_dealer_excluded() -> None:
    tr, shares = ceremony(5, 3, bad=frozenset({2}))
    c = ctx(5, 3)
    result = dkg.verify_transcript(tr, c)
    assert result.qual == (1, 3, 4, 5)
    assert [(x.dealer, x.recipient) for x in tr.complaints] == [(2, 1)]
    with pytest.raises(InvalidShare, match="dealer 2: share for trustee 1"):
        dkg.judge_disclosure(
            tr.complaints[0], tr.deals[1], {k.trustee: k.public for k in tr.transport_keys}, c
        )
    assert_key_works(result, shares, 3)
    # A transcript that keeps the cheating dealer in QUAL is rejected...
    with pytest.raises(InvalidDkg, match=r"dkg\.qual"):
        dkg.verify_transcript(dataclasses.replace(tr, qual=ALL), c)
    # ...and so is one that hides the complaint but still excludes him.
    with pytest.raises(InvalidDkg, match=r"dkg\.qual"):
        dkg.verify_transcript(dataclasses.replace(tr, complaints=()), c)


def test_non_canonical_share_is_a_founded_complaint() -> None:
    b = board()
    d, pk = b.deals[2], b.pub[1]
    e = 12345
    r = group.base_mul(e)
    pad = dkg_deal.share_pad(b.ctx, 2, 1, r, pk, group.mul(e, pk))
    plain = (L + 1).to_bytes(32, "little") + bytes(32)  # s ≥ L: not canonical
    enc = dkg.EncryptedShare(1, r, dkg_deal.xor(plain, pad))
    b.deals[2] = b.resign_deal(dataclasses.replace(d, shares=(enc, *d.shares[1:])))
    with pytest.raises(InvalidShare, match="not a canonical scalar"):
        dkg.open_share(b.transports[1], b.deals[2], b.ctx)
    complaint = b.disclose(2, 1)
    assert dkg.qualified(5, 3, b.keys, list(b.deals.values()), [complaint], b.ctx) == (1, 3, 4, 5)


def test_incomplete_deal_is_excluded_without_complaint() -> None:
    b = board()
    d = b.deals[4]
    b.deals[4] = b.resign_deal(dataclasses.replace(d, shares=d.shares[:-1]))
    with pytest.raises(DealerFault, match="dealer 4: deal must hold one share per other trustee"):
        dkg.check_deal(b.deals[4], 5, 3, b.pub, b.ctx)
    short = b.resign_deal(dataclasses.replace(d, commitments=d.commitments[:2]))
    with pytest.raises(DealerFault, match="dealer 4: deal has 2 Pedersen commitments"):
        dkg.check_deal(short, 5, 3, b.pub, b.ctx)
    assert dkg.qualified(5, 3, b.keys, list(b.deals.values()), [], b.ctx) == (1, 2, 3, 5)
    with pytest.raises(InvalidDkg, match=r"dkg\.qual"):
        b.verify(b.transcript(ALL))


def test_deals_must_be_unique_and_ordered() -> None:
    b = board()
    tr = b.transcript(ALL)
    with pytest.raises(InvalidDkg, match=r"dkg\.deals: entries must be unique"):
        b.verify(dataclasses.replace(tr, deals=(tr.deals[1], tr.deals[0], *tr.deals[2:])))
    with pytest.raises(InvalidDkg, match=r"dkg\.deals: entries must be unique"):
        b.verify(dataclasses.replace(tr, deals=(tr.deals[0], *tr.deals)))


# --- Disclosures -----------------------------------------------------------------------------


def test_forged_disclosure_proof_is_rejected() -> None:
    tr, _ = ceremony(5, 3, bad=frozenset({2}))
    c = ctx(5, 3)
    real = tr.complaints[0]
    forged = dataclasses.replace(
        real, proof=proofs.ChaumPedersenProof(real.proof.challenge, (real.proof.response + 1) % L)
    )
    with pytest.raises(
        InvalidDkg,
        match=r"dkg\.complaints\[0\]: trustee 1: disclosure .* "
        "Chaum–Pedersen",
    ):
        dkg.verify_transcript(dataclasses.replace(tr, complaints=(forged,)), c)
    # A wrong DH value under the honest proof, and a proof moved to another recipient.
    wrong_dh = dataclasses.replace(real, dh=group.add(real.dh, GENERATOR))
    with pytest.raises(InvalidDkg, match="Chaum–Pedersen"):
        dkg.verify_transcript(dataclasses.replace(tr, complaints=(wrong_dh,)), c)
    moved = dataclasses.replace(real, recipient=3)
    with pytest.raises(InvalidDkg, match="Chaum–Pedersen"):
        dkg.verify_transcript(dataclasses.replace(tr, complaints=(moved,)), c)


def test_trustee_cannot_forge_a_complaint_without_the_recipient_key() -> None:
    """Trustee 3 tries to disclose (and so judge) the share dealer 1 sent to trustee 4."""
    b = board()
    enc = dkg_deal.find_share(b.deals[1], 4)
    fake_dh = group.mul(b.transports[3].secret, enc.ephemeral)
    context = dkg_deal.disclosure_context(b.ctx, 1, 4)
    proof = proofs.prove_chaum_pedersen(
        b.transports[3].secret, b.transports[3].public, enc.ephemeral, fake_dh, context, b.rng
    )
    with pytest.raises(InvalidDkg, match="trustee 4: disclosure of dealer 1's share"):
        dkg.judge_disclosure(ShareDisclosure(1, 4, fake_dh, proof), b.deals[1], b.pub, b.ctx)


def test_unfounded_complaint_cannot_exclude_an_honest_dealer() -> None:
    b = board()
    complaint = b.disclose(1, 3)  # trustee 3 complains although its share is good
    assert dkg.judge_disclosure(complaint, b.deals[1], b.pub, b.ctx) == dkg.dealer_share(
        b.secrets[1], 3
    )
    assert dkg.qualified(5, 3, b.keys, list(b.deals.values()), [complaint], b.ctx) == ALL
    with pytest.raises(InvalidDkg, match=r"dkg\.qual: the transcript says \[2, 3, 4, 5\]"):
        b.verify(b.transcript((2, 3, 4, 5), (complaint,)))
    result = b.verify(b.transcript(ALL, (complaint,)))
    assert result.joint_public_key == b.honest_key(ALL)


def test_complaint_against_missing_deal_or_share_is_rejected() -> None:
    b = board()
    complaint = b.disclose(1, 3)
    del b.deals[1]
    with pytest.raises(InvalidDkg, match=r"dkg\.complaints\[0\]: dealer 1 has no deal"):
        b.verify(b.transcript((2, 3, 4, 5), (complaint,)))
    b = board()
    own = dataclasses.replace(b.disclose(1, 3), recipient=1)
    with pytest.raises(InvalidDkg, match="no share for trustee 1"):
        b.verify(b.transcript(ALL, (own,)))


# --- Phase 2: extraction -------------------------------------------------------------------


def test_biased_feldman_commitment_is_caught_and_reconstructed() -> None:
    """Dealer 5 (the last mover) swaps a_50 for a value of its choosing in phase 2."""
    b = board()
    biased_a0 = 424242
    a = (biased_a0, *b.secrets[5].coefficients[1:])
    cheat = b.resign_extraction(
        dkg.extract(
            b.transports[5], dataclasses.replace(b.secrets[5], coefficients=a), b.ctx, b.rng
        )
    )
    dkg.check_extraction(cheat, 3, b.pub, b.ctx)  # publicly it looks fine
    disclosures = []
    for j in (1, 2, 3, 4):
        share = dkg.open_share(b.transports[j], b.deals[5], b.ctx)
        with pytest.raises(InvalidShare, match=r"dealer 5: trustee \d's share fails the Feldman"):
            dkg.check_feldman(share, cheat)
        disclosures.append(b.disclose(5, j))
    extractions = (*(b.extract(i) for i in (1, 2, 3, 4)), cheat)
    biased_key = group.add(b.honest_key((1, 2, 3, 4)), group.base_mul(biased_a0))
    with pytest.raises(InvalidDkg, match=r"dkg\.joint_public_key"):
        b.verify(b.transcript(ALL, (), extractions, tuple(disclosures), key=biased_key))
    result = b.verify(b.transcript(ALL, (), extractions, tuple(disclosures)))
    assert result.reconstructed == (5,)
    assert result.joint_public_key == b.honest_key(ALL)
    # One founded Feldman complaint is enough to reject the extraction.
    assert dkg.to_reconstruct(
        5, 3, b.keys, list(b.deals.values()), [], extractions, disclosures[:1], b.ctx
    ) == (5,)


def test_wrong_higher_feldman_commitment_is_caught() -> None:
    b = board()
    e = b.extract(3)
    wrong = b.resign_extraction(
        dataclasses.replace(e, commitments=(e.commitments[0], GENERATOR, e.commitments[2]))
    )
    share = dkg.open_share(b.transports[1], b.deals[3], b.ctx)
    with pytest.raises(InvalidShare, match="Feldman"):
        dkg.check_feldman(share, wrong)
    extractions = tuple(wrong if i == 3 else b.extract(i) for i in ALL)
    tr = b.transcript(ALL, (), extractions, (b.disclose(3, 1),))
    with pytest.raises(InvalidDkg, match="dealer 3: must be reconstructed, but only 1 valid"):
        b.verify(tr)
    full = b.transcript(ALL, (), extractions, tuple(b.disclose(3, j) for j in (1, 2, 4)))
    result = b.verify(full)
    assert result.reconstructed == (3,)
    # The verification keys come from the reconstructed polynomial, not the wrong commitment.
    received = {i: dkg.open_share(b.transports[1], b.deals[i], b.ctx) for i in (2, 3, 4, 5)}
    dkg.secret_share(1, result, b.secrets[1], received)


def test_bad_proof_of_knowledge_forces_reconstruction() -> None:
    b = board()
    e = b.extract(2)
    bad = b.resign_extraction(
        dataclasses.replace(
            e, proof=proofs.SchnorrProof(e.proof.challenge, (e.proof.response + 1) % L)
        )
    )
    with pytest.raises(DealerFault, match="dealer 2: proof of knowledge"):
        dkg.check_extraction(bad, 3, b.pub, b.ctx)
    extractions = tuple(bad if i == 2 else b.extract(i) for i in ALL)
    assert dkg.to_reconstruct(5, 3, b.keys, list(b.deals.values()), [], extractions, [], b.ctx) == (
        2,
    )
    with pytest.raises(InvalidDkg, match="dealer 2: must be reconstructed"):
        b.verify(b.transcript(ALL, (), extractions))
    disclosures = tuple(b.disclose(2, j) for j in (1, 3, 4, 5))
    result = b.verify(b.transcript(ALL, (), extractions, disclosures))
    assert result.reconstructed == (2,)
    assert result.joint_public_key == b.honest_key(ALL)


def test_extraction_changed_after_signing_is_rejected() -> None:
    b = board()
    e = b.extract(2)
    forged = dataclasses.replace(e, commitments=(GENERATOR, *e.commitments[1:]))
    with pytest.raises(InvalidDkg, match="dealer 2: extraction signature"):
        dkg.check_extraction(forged, 3, b.pub, b.ctx)
    extractions = tuple(forged if i == 2 else b.extract(i) for i in ALL)
    with pytest.raises(InvalidDkg, match="dealer 2: extraction signature"):
        b.verify(b.transcript(ALL, (), extractions))


def test_extraction_or_disclosure_for_dealer_outside_qual_is_rejected() -> None:
    b = board()
    complaint = b.disclose(2, 1)
    b.deals[2] = b.resign_deal(dataclasses.replace(b.deals[2], shares=b.deals[2].shares[1:]))
    qual = (1, 3, 4, 5)
    with pytest.raises(InvalidDkg, match=r"dkg\.extractions: dealer 2 is not in QUAL"):
        b.verify(b.transcript(qual, (), tuple(b.extract(i) for i in ALL)))
    with pytest.raises(InvalidDkg, match=r"dkg\.disclosures: dealer 2 is not in QUAL"):
        b.verify(b.transcript(qual, (), None, (complaint,)))


def test_silent_dealer_in_phase2_is_reconstructed() -> None:
    tr, shares = ceremony(5, 3, silent=frozenset({4}))
    result = dkg.verify_transcript(tr, ctx(5, 3))
    assert result.qual == ALL and result.reconstructed == (4,)
    assert [e.dealer for e in tr.extractions] == [1, 2, 3, 5]
    assert {(c.dealer, c.recipient) for c in tr.disclosures} == {(4, j) for j in (1, 2, 3, 5)}
    assert_key_works(result, shares, 3)
    # Without the disclosures the transcript cannot stand.
    with pytest.raises(InvalidDkg, match="dealer 4: must be reconstructed"):
        dkg.verify_transcript(dataclasses.replace(tr, disclosures=()), ctx(5, 3))


def test_bad_dealer_and_silent_dealer_together() -> None:
    tr, shares = ceremony(5, 3, bad=frozenset({1}), silent=frozenset({5}))
    result = dkg.verify_transcript(tr, ctx(5, 3))
    assert result.qual == (2, 3, 4, 5) and result.reconstructed == (5,)
    assert_key_works(result, shares, 3)


def test_silent_dealer_cannot_be_reconstructed_below_threshold() -> None:
    with pytest.raises(InvalidDkg, match="dealer 1: must be reconstructed, but only 2"):
        dkg.run_ceremony(3, 3, ctx(3, 3), DeterministicRng("s"), silent_in_phase2=frozenset({1}))


def test_late_complaint_does_not_change_qual() -> None:
    """Trustee 1 accepted a bad share in phase 1; disclosing it in phase 2 is too late."""
    b = board()
    good = dkg.dealer_share(b.secrets[2], 1)
    bad = dataclasses.replace(good, value=(good.value + 1) % L)
    shares = (dkg_deal.encrypt_share(bad, b.pub[1], b.ctx, b.rng), *b.deals[2].shares[1:])
    b.deals[2] = b.resign_deal(dataclasses.replace(b.deals[2], shares=shares))
    late = b.disclose(2, 1)
    with pytest.raises(InvalidShare):
        dkg.judge_disclosure(late, b.deals[2], b.pub, b.ctx)
    result = b.verify(b.transcript(ALL, (), None, (late,)))
    assert result.qual == ALL and result.reconstructed == ()
    with pytest.raises(InvalidDkg, match="trustee 1: secret share does not match"):
        received = {i: dkg.open_share(b.transports[1], b.deals[i], b.ctx) for i in (3, 4, 5)}
        dkg.secret_share(1, result, b.secrets[1], {**received, 2: bad})


# --- The result ------------------------------------------------------------------------------


def test_modified_joint_key_is_rejected() -> None:
    tr, _ = ceremony(5, 3)
    for key in (group.add(tr.joint_public_key, GENERATOR), IDENTITY, GENERATOR):
        with pytest.raises(InvalidDkg, match=r"dkg\.joint_public_key"):
            dkg.verify_transcript(dataclasses.replace(tr, joint_public_key=key), ctx(5, 3))


def test_secret_share_needs_every_qual_share() -> None:
    tr, _ = ceremony(3, 2)
    result = dkg.verify_transcript(tr, ctx(3, 2))
    with pytest.raises(InvalidDkg, match="trustee 2: holds no share from dealer 1"):
        dkg.secret_share(2, result, None, {})
