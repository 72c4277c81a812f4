"""t-of-n distributed key generation: Gennaro–Jarecki–Krawczyk–Rabin "New-DKG".

This module is the ceremony's public face: its names are defined in dkg_messages (the
messages), dkg_transport, dkg_deal (phase 1), dkg_extract (phase 2), dkg_judge (QUAL, the
joint key) and dkg_ceremony (all trustees in one process).

Trustees are numbered 1..n; any t of them can decrypt. Phase 1 is Pedersen VSS, whose
commitments hide the dealt secrets perfectly, so the set QUAL of qualified dealers is
fixed before anyone learns anything about the joint key; phase 2 then extracts Feldman
commitments A_i0 = a_i0·G from the dealers in QUAL. A last dealer cannot bias the key: if
it withholds or falsifies its extraction, its committed polynomial is rebuilt from shares.

Messages (each per-trustee function takes only that trustee's secret and public messages):

- `TransportKey` (trustee j): PK_j = sk_j·G with a Schnorr proof of knowledge under the
  context [*context, TAG_TRANSPORT_KEY, Index(j)].
- `Deal` (dealer i): Pedersen commitments C_ik = a_ik·G + b_ik·H (k = 0..t−1) to random
  polynomials f_i, f'_i of degree t−1, and for every other trustee j, in order, the
  hashed-ElGamal encryption of (s_ij, s'_ij) = (f_i(j), f'_i(j)): R = e·G,
  pad = expand_message_xmd(frame([TAG_SHARE_PAD, *context, Index(i), Index(j), R, PK_j,
  e·PK_j]), TAG_SHARE_PAD, 64), ciphertext = (scalar_bytes(s) || scalar_bytes(s')) XOR pad.
  H = hash_to_element(TAG_PEDERSEN_H, b"H"). Signed by the dealer's transport key.
- `ShareDisclosure` (recipient j about dealer i): DH = sk_j·R with a Chaum–Pedersen proof
  that log_G PK_j = log_R DH under [*context, TAG_DISCLOSURE, Index(i), Index(j)]; anyone
  can then decrypt that one share. In phase 1 it is a complaint: the share must satisfy
  s·G + s'·H = Σ_k j^k·C_ik (and be canonical) or the dealer leaves QUAL. In phase 2 it is
  evidence against an extraction and material for reconstruction.
- `Extraction` (dealer i in QUAL): A_ik = a_ik·G and a Schnorr proof of knowledge of a_i0
  under [*context, TAG_EXTRACTION, Index(i)]. Signed by the dealer's transport key.

Signatures (saylau.crypto.signatures, under the ceremony context, by the sender's transport
key) cover digest(TAG_DEAL, [Index(i), Index(#C), C_i0.., Index(#shares), (Index(j), R,
ct)..]) for a deal, and digest(TAG_EXTRACTION, [Index(i), Index(#A), A_i0.., Scalar(c),
Scalar(v)]) for an extraction (c, v: its Schnorr proof). They make every message
attributable: a relay cannot forge a deal or an extraction. A disclosure needs none, its
proof involves sk_j.

Blame: a message whose signature or disclosure proof fails is not attributable to anyone
and makes the transcript invalid (`InvalidDkg`). A signed message that is malformed proves
its dealer at fault (`DealerFault`); a disclosed share that fails its commitment check does
too (`InvalidShare`). QUAL = dealers with a complete deal and no founded complaint. A dealer
in QUAL is reconstructed when its extraction is missing, malformed, has a bad proof, or
fails the Feldman check s_ij·G = Σ_k j^k·A_ik for some validly disclosed share; then its
polynomial is interpolated from the t lowest-numbered disclosed valid shares.

Results: K = Σ_{i∈QUAL} A_i0; x_j = Σ_{i∈QUAL} s_ij; X_j = Σ_k j^k·(Σ_{i∈QUAL} A_ik).
Like every DKG, it assumes the relay is a broadcast channel: a relay that withholds an
honest dealer's extraction makes honest trustees reveal that dealer's polynomial, so
trustees should confirm the transcript among themselves before disclosing in phase 2.
"""

from __future__ import annotations

from saylau.crypto.dkg_ceremony import bad_deal, run_ceremony
from saylau.crypto.dkg_deal import (
    check_deal,
    deal,
    dealer_share,
    disclose,
    judge_disclosure,
    open_share,
)
from saylau.crypto.dkg_extract import check_extraction, check_feldman, extract
from saylau.crypto.dkg_judge import (
    assemble_transcript,
    qualified,
    secret_share,
    to_reconstruct,
    verify_transcript,
)
from saylau.crypto.dkg_messages import (
    MAX_TRUSTEES,
    PEDERSEN_H,
    SHARE_CIPHERTEXT_BYTES,
    TAG_DEAL,
    TAG_DISCLOSURE,
    TAG_EXTRACTION,
    TAG_PEDERSEN_H,
    TAG_SHARE_PAD,
    TAG_TRANSPORT_KEY,
    Deal,
    DealerSecret,
    DkgResult,
    EncryptedShare,
    Extraction,
    ReceivedShare,
    ShareDisclosure,
    Transcript,
    TransportKey,
    TransportSecret,
)
from saylau.crypto.dkg_transport import (
    check_transport_key,
    check_transport_keys,
    make_transport_key,
)

# tests/elections plays a cheating dealer under this name.
_cheat = bad_deal

__all__ = [
    "MAX_TRUSTEES",
    "PEDERSEN_H",
    "SHARE_CIPHERTEXT_BYTES",
    "TAG_DEAL",
    "TAG_DISCLOSURE",
    "TAG_EXTRACTION",
    "TAG_PEDERSEN_H",
    "TAG_SHARE_PAD",
    "TAG_TRANSPORT_KEY",
    "Deal",
    "DealerSecret",
    "DkgResult",
    "EncryptedShare",
    "Extraction",
    "ReceivedShare",
    "ShareDisclosure",
    "Transcript",
    "TransportKey",
    "TransportSecret",
    "assemble_transcript",
    "bad_deal",
    "check_deal",
    "check_extraction",
    "check_feldman",
    "check_transport_key",
    "check_transport_keys",
    "deal",
    "dealer_share",
    "disclose",
    "extract",
    "judge_disclosure",
    "make_transport_key",
    "open_share",
    "qualified",
    "run_ceremony",
    "secret_share",
    "to_reconstruct",
    "verify_transcript",
]
