"""Item framing, RFC 9380 expand_message_xmd, hash-to-scalar/element, and domain separation."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.crypto import group
from saylau.crypto.group import GENERATOR, L
from saylau.crypto.hashing import (
    DST_PREFIX,
    Index,
    Scalar,
    digest,
    expand_message_xmd,
    frame,
    hash_to_element,
    hash_to_scalar,
)
from saylau.crypto.proofs import TAG_CHAUM_PEDERSEN, TAG_DISJUNCTIVE, TAG_SCHNORR
from saylau.crypto.signatures import TAG_SIGNATURE

K3_DST = b"QUUX-V01-CS02-with-expander-SHA512-256"

# RFC 9380, Appendix K.3 (expand_message_xmd, SHA-512): (msg, len_in_bytes, uniform_bytes).
K3 = [
    (b"", 0x20, "6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba"),
    (b"abc", 0x20, "0da749f12fbe5483eb066a5f595055679b976e93abe9be6f0f6318bce7aca8dc"),
    (
        b"abcdef0123456789",
        0x20,
        "087e45a86e2939ee8b91100af1583c4938e0f5fc6c9db4b107b83346bc967f58",
    ),
    (
        b"q128_" + b"q" * 128,
        0x20,
        "7336234ee9983902440f6bc35b348352013becd88938d2afec44311caf8356b3",
    ),
    (
        b"a512_" + b"a" * 512,
        0x20,
        "57b5f7e766d5be68a6bfe1768e3c2b7f1228b3e4b3134956dd73a59b954c66f4",
    ),
    (
        b"",
        0x80,
        "41b037d1734a5f8df225dd8c7de38f851efdb45c372887be655212d07251b921"
        "b052b62eaed99b46f72f2ef4cc96bfaf254ebbbec091e1a3b9e4fb5e5b619d2e"
        "0c5414800a1d882b62bb5cd1778f098b8eb6cb399d5d9d18f5d5842cf5d13d7e"
        "b00a7cff859b605da678b318bd0e65ebff70bec88c753b159a805d2c89c55961",
    ),
    (
        b"abc",
        0x80,
        "7f1dddd13c08b543f2e2037b14cefb255b44c83cc397c1786d975653e36a6b11"
        "bdd7732d8b38adb4a0edc26a0cef4bb45217135456e58fbca1703cd6032cb134"
        "7ee720b87972d63fbf232587043ed2901bce7f22610c0419751c065922b48843"
        "1851041310ad659e4b23520e1772ab29dcdeb2002222a363f0c2b1c972b3efe1",
    ),
    (
        b"abcdef0123456789",
        0x80,
        "3f721f208e6199fe903545abc26c837ce59ac6fa45733f1baaf0222f8b7acb04"
        "24814fcb5eecf6c1d38f06e9d0a6ccfbf85ae612ab8735dfdf9ce84c372a77c8"
        "f9e1c1e952c3a61b7567dd0693016af51d2745822663d0c2367e3f4f0bed827f"
        "eecc2aaf98c949b5ed0d35c3f1023d64ad1407924288d366ea159f46287e61ac",
    ),
    (
        b"q128_" + b"q" * 128,
        0x80,
        "b799b045a58c8d2b4334cf54b78260b45eec544f9f2fb5bd12fb603eaee70db7"
        "317bf807c406e26373922b7b8920fa29142703dd52bdf280084fb7ef69da78af"
        "df80b3586395b433dc66cde048a258e476a561e9deba7060af40adf30c64249c"
        "a7ddea79806ee5beb9a1422949471d267b21bc88e688e4014087a0b592b695ed",
    ),
    (
        b"a512_" + b"a" * 512,
        0x80,
        "05b0bfef265dcee87654372777b7c44177e2ae4c13a27f103340d9cd11c86cb2"
        "426ffcad5bd964080c2aee97f03be1ca18e30a1f14e27bc11ebbd650f305269c"
        "c9fb1db08bf90bfc79b42a952b46daf810359e7bc36452684784a64952c343c5"
        "2e5124cd1f71d474d5197fefc571a92929c9084ffe1112cf5eea5192ebff330b",
    ),
]

TAG = "saylau-v1/test"
PROTOCOL_TAGS = [TAG_SCHNORR, TAG_CHAUM_PEDERSEN, TAG_DISJUNCTIVE, TAG_SIGNATURE]


# --- expand_message_xmd -------------------------------------------------------------------


@pytest.mark.parametrize(("msg", "n", "expected"), K3, ids=[f"{m[:8]!r}-{n}" for m, n, _ in K3])
def test_expand_message_xmd_rfc9380_k3(msg: bytes, n: int, expected: str):
    assert expand_message_xmd(msg, K3_DST, n).hex() == expected


def test_expand_message_xmd_limits():
    assert len(expand_message_xmd(b"m", b"saylau-v1/x", 255 * 64)) == 255 * 64
    with pytest.raises(ValueError):
        expand_message_xmd(b"m", b"saylau-v1/x", 255 * 64 + 1)
    with pytest.raises(ValueError):
        expand_message_xmd(b"m", b"d" * 256, 32)
    assert len(expand_message_xmd(b"m", b"d" * 255, 32)) == 32


def test_expand_message_xmd_prefixes_are_not_shared_across_lengths():
    # len_in_bytes is hashed into b_0, so a shorter output is not a prefix of a longer one
    assert expand_message_xmd(b"m", K3_DST, 64)[:32] != expand_message_xmd(b"m", K3_DST, 32)


# --- framing --------------------------------------------------------------------------------


def test_frame_of_each_item_type():
    assert frame([]) == b""
    assert frame([b""]) == bytes(4)
    assert frame([b"\x01\x02"]) == bytes.fromhex("000000020102")
    assert frame(["é"]) == bytes.fromhex("00000002c3a9")
    assert frame([Index(1)]) == bytes.fromhex("000000080000000000000001")
    assert frame([Index(2**64 - 1)]) == bytes.fromhex("00000008" + "ff" * 8)
    assert frame([Scalar(1)]) == bytes.fromhex("0000002001" + "00" * 31)
    assert frame([Scalar(L + 1)]) == frame([Scalar(1)])
    assert frame([GENERATOR]) == bytes.fromhex("00000020") + GENERATOR
    assert frame(["a", b"b"]) == bytes.fromhex("00000001610000000162")


def test_frame_is_unambiguous():
    assert frame(["ab", "c"]) != frame(["a", "bc"])
    assert frame(["abc"]) != frame(["ab", "c"])
    assert frame([b"", b"x"]) != frame([b"x", b""])
    assert frame([b""]) != frame([])
    assert frame([Index(1)]) != frame([Scalar(1)])
    assert frame(["a"]) != frame(["a", ""])


@given(st.lists(st.binary(max_size=40), max_size=6), st.lists(st.binary(max_size=40), max_size=6))
@settings(max_examples=200)
def test_frame_is_injective_on_byte_lists(a: list[bytes], b: list[bytes]):
    if a != b:
        assert frame(a) != frame(b)


def test_frame_rejects_negative_indices_and_unknown_types():
    with pytest.raises(ValueError):
        frame([Index(-1)])
    with pytest.raises(OverflowError):
        frame([Index(2**64)])
    for bad in (1, 1.0, None, bytearray(b"x"), [b"x"]):
        with pytest.raises(TypeError):
            frame([bad])  # type: ignore[list-item]


# --- hash_to_scalar -------------------------------------------------------------------------


def test_hash_to_scalar_is_the_documented_construction():
    items = ["a", Index(3), Scalar(5), GENERATOR]
    uniform = expand_message_xmd(frame(items), TAG.encode(), 64)
    assert hash_to_scalar(TAG, items) == int.from_bytes(uniform, "little") % L


@given(st.lists(st.binary(max_size=50), max_size=4))
@settings(max_examples=50)
def test_hash_to_scalar_is_a_scalar(items: list[bytes]):
    assert 0 <= hash_to_scalar(TAG, items) < L


@pytest.mark.parametrize("tag", ["", "saylau/test", "saylau-v2/test", "x saylau-v1/test"])
def test_hash_needs_a_saylau_domain_tag(tag: str):
    with pytest.raises(ValueError):
        hash_to_scalar(tag, [])
    with pytest.raises(ValueError):
        hash_to_element(tag, b"")


def test_non_ascii_tags_are_rejected():
    with pytest.raises(UnicodeEncodeError):
        hash_to_scalar(DST_PREFIX + "é", [])


def test_domain_separation_between_tags():
    items = [GENERATOR, "same", Index(1)]
    outputs = {hash_to_scalar(tag, items) for tag in [TAG, TAG + "2", *PROTOCOL_TAGS]}
    assert len(outputs) == 2 + len(PROTOCOL_TAGS)


def test_protocol_tags_are_distinct_and_prefixed():
    assert len(set(PROTOCOL_TAGS)) == len(PROTOCOL_TAGS)
    assert all(t.startswith(DST_PREFIX) for t in PROTOCOL_TAGS)


def test_domain_separation_between_item_lists():
    variants = [
        [],
        [""],
        ["", ""],
        ["ab", "c"],
        ["a", "bc"],
        ["abc"],
        [Index(1)],
        [Scalar(1)],
        [Index(1), Index(2)],
        [Index(2), Index(1)],
    ]
    assert len({hash_to_scalar(TAG, v) for v in variants}) == len(variants)


def test_equal_framing_gives_equal_hashes():
    # the framing carries lengths, not types: a str and its UTF-8 bytes are the same item
    assert hash_to_scalar(TAG, ["é"]) == hash_to_scalar(TAG, ["é".encode()])
    assert hash_to_scalar(TAG, [Index(7)]) == hash_to_scalar(TAG, [(7).to_bytes(8, "big")])


# --- hash_to_element --------------------------------------------------------------------


def test_hash_to_element_is_rfc9380_hash_to_ristretto255():
    msg = b"ballot"
    uniform = expand_message_xmd(msg, TAG.encode(), 64)
    assert hash_to_element(TAG, msg) == group.from_uniform_bytes(uniform)


def test_hash_to_ristretto255_known_answer():
    # RFC 9380 suite ristretto255_XMD:SHA-512_R255MAP_RO_ with its own DST; the answer is the
    # one in @noble/curves' test suite (RFC 9380 has no ristretto255 vectors).
    uniform = expand_message_xmd(b"\x05" * 10, b"ristretto255_XMD:SHA-512_R255MAP_RO_", 64)
    assert group.from_uniform_bytes(uniform).hex() == (
        "be2194e53cc014665821003f8ecf49e99b7cd16f5326e53f234ecd21c448ee6c"
    )


def test_hash_to_element_gives_valid_distinct_elements():
    elements = {hash_to_element(tag, msg) for tag in (TAG, TAG + "2") for msg in (b"", b"a")}
    assert len(elements) == 4
    for e in elements:
        assert group.decode_element(e) == e
        assert e not in (group.IDENTITY, GENERATOR)


# --- digest ---------------------------------------------------------------------------------


def test_digest_is_sha256_of_the_framed_tag_and_items():
    items = [GENERATOR, "x", Index(2)]
    assert digest(TAG, items) == hashlib.sha256(frame([TAG, *items])).digest()
    assert len(digest(TAG, [])) == 32


def test_digest_domain_separation():
    assert digest(TAG, ["a"]) != digest(TAG + "2", ["a"])
    assert digest(TAG, ["ab", "c"]) != digest(TAG, ["a", "bc"])
    # the tag is framed like an item, so it cannot run into the first item
    assert digest(TAG, ["a"]) != digest(TAG + "a", [])
