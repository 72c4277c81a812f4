"""Phase 1 of the key ceremony: a dealer commits to its polynomials (Pedersen) and
encrypts each trustee's share to that trustee's transport key; a recipient opens its share
and checks it, or discloses it as a complaint that anyone can judge."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from saylau.crypto import group, proofs, signatures
from saylau.crypto.dkg_messages import (
    PEDERSEN_H,
    SHARE_CIPHERTEXT_BYTES,
    TAG_DEAL,
    TAG_DISCLOSURE,
    TAG_SHARE_PAD,
    Deal,
    DealerSecret,
    EncryptedShare,
    ReceivedShare,
    ShareDisclosure,
    TransportKey,
    TransportSecret,
    check_parameters,
)
from saylau.crypto.dkg_transport import check_transport_keys, public_key
from saylau.crypto.errors import (
    DealerFault,
    InvalidDkg,
    InvalidProof,
    InvalidScalar,
    InvalidShare,
    InvalidSignature,
)
from saylau.crypto.group import Element, decode_scalar, scalar_bytes
from saylau.crypto.hashing import Index, Item, digest, expand_message_xmd, frame
from saylau.crypto.polynomial import commitment_at, evaluate
from saylau.crypto.rand import Rng


def dealer_share(secret: DealerSecret, recipient: int) -> ReceivedShare:
    """(f_i(j), f'_i(j)): the share dealer i sends to trustee j (or keeps, for j = i)."""
    value = evaluate(secret.coefficients, recipient)
    return ReceivedShare(secret.dealer, recipient, value, evaluate(secret.blinding, recipient))


def share_pad(
    context: Sequence[Item], dealer: int, recipient: int, r: Element, pk: Element, dh: Element
) -> bytes:
    msg = frame([TAG_SHARE_PAD, *context, Index(dealer), Index(recipient), r, pk, dh])
    return expand_message_xmd(msg, TAG_SHARE_PAD.encode("ascii"), SHARE_CIPHERTEXT_BYTES)


def xor(a: bytes, b: bytes) -> bytes:
    return bytes(x ^ y for x, y in zip(a, b, strict=True))


def encrypt_share(
    share: ReceivedShare, recipient_key: Element, context: Sequence[Item], rng: Rng
) -> EncryptedShare:
    e = rng.scalar()
    r = group.base_mul(e)
    pad = share_pad(
        context, share.dealer, share.recipient, r, recipient_key, group.mul(e, recipient_key)
    )
    plain = scalar_bytes(share.value) + scalar_bytes(share.blinding)
    return EncryptedShare(share.recipient, r, xor(plain, pad))


def _deal_message(
    dealer: int, commitments: Sequence[Element], shares: Sequence[EncryptedShare]
) -> bytes:
    items: list[Item] = [Index(dealer), Index(len(commitments)), *commitments, Index(len(shares))]
    for s in shares:
        items += [Index(s.recipient), s.ephemeral, s.ciphertext]
    return digest(TAG_DEAL, items)


def signed_deal(
    transport: TransportSecret,
    commitments: tuple[Element, ...],
    shares: tuple[EncryptedShare, ...],
    context: Sequence[Item],
    rng: Rng,
) -> Deal:
    message = _deal_message(transport.trustee, commitments, shares)
    sig = signatures.sign(transport.secret, transport.public, message, context, rng)
    return Deal(transport.trustee, commitments, shares, sig)


def deal(
    transport: TransportSecret,
    n: int,
    t: int,
    transport_keys: Sequence[TransportKey],
    context: Sequence[Item],
    rng: Rng,
) -> tuple[DealerSecret, Deal]:
    """Phase 1 for dealer i = transport.trustee: commit to f_i, f'_i and encrypt the shares."""
    check_parameters(n, t)
    keys = check_transport_keys(transport_keys, n, context)
    i = transport.trustee
    if keys.get(i) != transport.public:
        raise InvalidDkg(f"dealer {i}: own transport key is not the published one")
    secret = DealerSecret(
        i, tuple(rng.scalar() for _ in range(t)), tuple(rng.scalar() for _ in range(t))
    )
    commitments = tuple(
        group.add(group.base_mul(a), group.mul(b, PEDERSEN_H))
        for a, b in zip(secret.coefficients, secret.blinding, strict=True)
    )
    shares = tuple(
        encrypt_share(dealer_share(secret, j), keys[j], context, rng)
        for j in range(1, n + 1)
        if j != i
    )
    return secret, signed_deal(transport, commitments, shares, context, rng)


def check_deal_signature(d: Deal, keys: Mapping[int, Element], context: Sequence[Item]) -> None:
    pk = public_key(keys, d.dealer, "dealer")
    try:
        signatures.verify(
            d.signature, pk, _deal_message(d.dealer, d.commitments, d.shares), context
        )
    except InvalidSignature:
        raise InvalidDkg(f"dealer {d.dealer}: deal signature does not verify") from None


def check_deal_shape(d: Deal, n: int, t: int) -> None:
    if len(d.commitments) != t:
        raise DealerFault(
            f"dealer {d.dealer}: deal has {len(d.commitments)} Pedersen commitments, t = {t}"
        )
    expected = [j for j in range(1, n + 1) if j != d.dealer]
    if [s.recipient for s in d.shares] != expected:
        raise DealerFault(
            f"dealer {d.dealer}: deal must hold one share per other trustee, in order"
        )
    for s in d.shares:
        if len(s.ciphertext) != SHARE_CIPHERTEXT_BYTES:
            raise DealerFault(
                f"dealer {d.dealer}: encrypted share for trustee {s.recipient} "
                f"is not {SHARE_CIPHERTEXT_BYTES} bytes"
            )


def check_deal(
    d: Deal, n: int, t: int, transport_keys: Mapping[int, Element], context: Sequence[Item]
) -> None:
    """Public checks of a deal: signature (`InvalidDkg`), completeness (`DealerFault`)."""
    check_deal_signature(d, transport_keys, context)
    check_deal_shape(d, n, t)


def find_share(d: Deal, recipient: int) -> EncryptedShare:
    for s in d.shares:
        if s.recipient == recipient:
            return s
    raise InvalidDkg(f"dealer {d.dealer}: the deal holds no share for trustee {recipient}")


def _open(
    d: Deal, enc: EncryptedShare, recipient_key: Element, dh: Element, context: Sequence[Item]
) -> ReceivedShare:
    """Decrypt one share with DH = sk_j·R and check it against the Pedersen commitments."""
    i, j = d.dealer, enc.recipient
    plain = xor(enc.ciphertext, share_pad(context, i, j, enc.ephemeral, recipient_key, dh))
    try:
        share = ReceivedShare(i, j, decode_scalar(plain[:32]), decode_scalar(plain[32:]))
    except InvalidScalar:
        raise InvalidShare(
            f"dealer {i}: share for trustee {j} is not a canonical scalar pair"
        ) from None
    lhs = group.add(group.base_mul(share.value), group.mul(share.blinding, PEDERSEN_H))
    if lhs != commitment_at(d.commitments, j):
        raise InvalidShare(f"dealer {i}: share for trustee {j} fails the Pedersen check")
    return share


def open_share(recipient: TransportSecret, d: Deal, context: Sequence[Item]) -> ReceivedShare:
    """Trustee j decrypts and checks its share of a deal that passed `check_deal`.

    Raises `InvalidShare` when the share is bad: then publish `disclose(...)` as a complaint.
    """
    enc = find_share(d, recipient.trustee)
    return _open(d, enc, recipient.public, group.mul(recipient.secret, enc.ephemeral), context)


def disclosure_context(context: Sequence[Item], dealer: int, recipient: int) -> list[Item]:
    return [*context, TAG_DISCLOSURE, Index(dealer), Index(recipient)]


def disclose(
    recipient: TransportSecret, d: Deal, context: Sequence[Item], rng: Rng
) -> ShareDisclosure:
    """Trustee j reveals DH = sk_j·R for its share of `d`, so that anyone can decrypt it."""
    j = recipient.trustee
    enc = find_share(d, j)
    dh = group.mul(recipient.secret, enc.ephemeral)
    proof = proofs.prove_chaum_pedersen(
        recipient.secret,
        recipient.public,
        enc.ephemeral,
        dh,
        disclosure_context(context, d.dealer, j),
        rng,
    )
    return ShareDisclosure(d.dealer, j, dh, proof)


def judge_disclosure(
    disclosure: ShareDisclosure,
    d: Deal,
    transport_keys: Mapping[int, Element],
    context: Sequence[Item],
) -> ReceivedShare:
    """Verify a disclosure and return the share it reveals.

    Raises `InvalidDkg` if the disclosure itself is invalid, `InvalidShare` if the revealed
    share fails the Pedersen check (the complaint is founded: the dealer is at fault).
    """
    i, j = disclosure.dealer, disclosure.recipient
    if d.dealer != i:
        raise InvalidDkg(f"disclosure ({i}→{j}): judged against the deal of dealer {d.dealer}")
    pk = public_key(transport_keys, j, "recipient")
    enc = find_share(d, j)
    try:
        proofs.verify_chaum_pedersen(
            disclosure.proof, pk, enc.ephemeral, disclosure.dh, disclosure_context(context, i, j)
        )
    except InvalidProof:
        raise InvalidDkg(
            f"trustee {j}: disclosure of dealer {i}'s share has an invalid Chaum–Pedersen proof"
        ) from None
    return _open(d, enc, pk, disclosure.dh, context)
