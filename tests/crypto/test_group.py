"""ristretto255 over libsodium: known answers, the identity work-around, strict decoding."""

from __future__ import annotations

import pysodium
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from saylau.crypto import group
from saylau.crypto.encoding import (
    bytes_from_hex,
    element_from_hex,
    element_hex,
    scalar_from_hex,
    scalar_hex,
)
from saylau.crypto.errors import InvalidElement, InvalidEncoding, InvalidScalar
from saylau.crypto.group import GENERATOR, IDENTITY, L

# RFC 9496, Appendix A.1 (k·B for k = 0..15); the full A.1-A.3 sets are in
# tests/vectors/group.json and checked by tests/vectors/test_vectors.py.
MULTIPLES = [
    "0000000000000000000000000000000000000000000000000000000000000000",
    "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76",
    "6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919",
    "94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259",
    "da80862773358b466ffadfe0b3293ab3d9fd53c5ea6c955358f568322daf6a57",
    "e882b131016b52c1d3337080187cf768423efccbb517bb495ab812c4160ff44e",
]
# RFC 9496, Appendix A.2 (one of each kind).
INVALID = {
    "field element p": "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "top byte ff": "00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
    "negative field element": "0100000000000000000000000000000000000000000000000000000000000000",
    "non-square x^2": "26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371",
    "negative xy": "3eb858e78f5a7254d8c9731174a94f76755fd3941c0ac93735c07ba14579630e",
    "s = -1": "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
}

scalars = st.integers(min_value=0, max_value=L - 1)
nonzero = st.integers(min_value=1, max_value=L - 1)


def with_top_bit(b: bytes) -> bytes:
    return b[:31] + bytes([b[31] | 0x80])


# --- known answers ------------------------------------------------------------------------


@pytest.mark.parametrize("k", range(len(MULTIPLES)))
def test_small_multiples_of_the_generator(k: int):
    expected = bytes.fromhex(MULTIPLES[k])
    assert group.base_mul(k) == expected
    assert group.mul(k, GENERATOR) == expected
    assert group.sum_elements([GENERATOR] * k) == expected
    assert group.decode_element(expected) == expected


def test_generator_and_identity_constants():
    assert GENERATOR.hex() == MULTIPLES[1]
    assert IDENTITY == bytes(32)
    assert group.base_mul(1) == GENERATOR


def test_one_way_map_known_answer():
    # RFC 9496, A.3, first vector
    uniform = bytes.fromhex(
        "5d1be09e3d0c82fc538112490e35701979d99e06ca3e2b5b54bffe8b4dc772c1"
        "4d98b696a1bbfb5ca32c436cc61c16563790306c79eaca7705668b47dffe5bb6"
    )
    assert group.from_uniform_bytes(uniform).hex() == (
        "3066f82a1a747d45120d1740f14358531a8f04bbffe6a819f86dfe50f44a0a46"
    )


@pytest.mark.parametrize("n", [0, 32, 63, 65])
def test_one_way_map_needs_64_bytes(n: int):
    with pytest.raises(ValueError):
        group.from_uniform_bytes(bytes(n))


# --- the identity and the zero scalar (libsodium 1.0.18 raises on an identity result) -----


def test_libsodium_itself_raises_on_an_identity_result():
    """The pitfall group.py works around; if this starts passing, libsodium changed."""
    with pytest.raises(ValueError):
        pysodium.crypto_scalarmult_ristretto255_base(bytes(32))
    with pytest.raises(ValueError):
        pysodium.crypto_scalarmult_ristretto255(bytes(32), GENERATOR)
    with pytest.raises(ValueError):
        pysodium.crypto_scalarmult_ristretto255(L.to_bytes(32, "little"), GENERATOR)


def test_zero_scalar_gives_the_identity():
    assert group.base_mul(0) == IDENTITY
    assert group.base_mul(L) == IDENTITY
    assert group.mul(0, GENERATOR) == IDENTITY
    assert group.mul(0, group.base_mul(12345)) == IDENTITY
    assert group.mul(L, group.base_mul(12345)) == IDENTITY


def test_multiplying_the_identity_gives_the_identity():
    assert group.mul(1, IDENTITY) == IDENTITY
    assert group.mul(L - 1, IDENTITY) == IDENTITY
    assert group.mul(0, IDENTITY) == IDENTITY


def test_identity_is_neutral_for_add_and_sub():
    p = group.base_mul(777)
    assert group.add(p, IDENTITY) == p
    assert group.add(IDENTITY, p) == p
    assert group.add(IDENTITY, IDENTITY) == IDENTITY
    assert group.sub(p, IDENTITY) == p
    assert group.sub(IDENTITY, IDENTITY) == IDENTITY
    assert group.neg(IDENTITY) == IDENTITY
    assert group.sum_elements([]) == IDENTITY
    assert group.sum_elements([IDENTITY, p, IDENTITY]) == p


def test_results_that_are_the_identity():
    p = group.base_mul(98765)
    assert group.sub(p, p) == IDENTITY
    assert group.add(p, group.neg(p)) == IDENTITY
    assert group.sub(IDENTITY, group.neg(p)) == p
    assert group.mul(L - 1, p) == group.neg(p)
    assert group.add(group.mul(L - 1, p), p) == IDENTITY


def test_scalars_are_reduced_modulo_the_order():
    p = group.base_mul(3)
    assert group.mul(L + 5, p) == group.mul(5, p)
    assert group.base_mul(L + 5) == group.base_mul(5)
    assert group.mul(-1, p) == group.neg(p)
    assert group.base_mul(-2) == group.neg(group.base_mul(2))


# --- strict decoding ----------------------------------------------------------------------


@pytest.mark.parametrize("encoding", list(INVALID.values()), ids=list(INVALID))
def test_decode_rejects_rfc9496_invalid_encodings(encoding: str):
    with pytest.raises(InvalidElement):
        group.decode_element(bytes.fromhex(encoding))


@pytest.mark.parametrize(
    "b",
    [b"", bytes(31), bytes(33), GENERATOR + b"\x00", GENERATOR[:31]],
    ids=["empty", "31 bytes", "33 bytes", "generator + 1 byte", "generator truncated"],
)
def test_decode_rejects_wrong_lengths(b: bytes):
    with pytest.raises(InvalidElement):
        group.decode_element(b)


@pytest.mark.parametrize("value", ["e2" * 32, None, 5, list(GENERATOR)])
def test_decode_rejects_non_bytes(value: object):
    with pytest.raises(InvalidElement):
        group.decode_element(value)  # type: ignore[arg-type]


def test_decode_rejects_non_canonical_field_elements():
    p = 2**255 - 19
    for s in (p, p + 1, p + 2, 2**255 - 1):
        with pytest.raises(InvalidElement):
            group.decode_element(s.to_bytes(32, "little"))


@pytest.mark.parametrize(
    "element",
    [IDENTITY, GENERATOR, bytes.fromhex(MULTIPLES[2]), bytes.fromhex(MULTIPLES[5])],
    ids=["identity", "generator", "2G", "5G"],
)
def test_decode_rejects_bit_255_set(element: bytes):
    """RFC 9496, 4.3.1: s is read as a 256-bit integer and must be < p, so bit 255 set is
    never canonical. libsodium 1.0.18 ignores that bit (and @noble/curves rejects it), so
    without an explicit check every element would have two accepted encodings and the server
    would accept what the browser verifier rejects."""
    with pytest.raises(InvalidElement):
        group.decode_element(with_top_bit(element))


def test_decode_accepts_the_identity_and_valid_elements():
    assert group.decode_element(bytes(32)) == IDENTITY
    assert group.decode_element(bytearray(GENERATOR)) == GENERATOR
    assert isinstance(group.decode_element(bytearray(GENERATOR)), bytes)


@given(nonzero)
@settings(max_examples=50)
def test_every_computed_element_decodes(s: int):
    p = group.base_mul(s)
    assert group.decode_element(p) == p
    with pytest.raises(InvalidElement):
        group.decode_element(with_top_bit(p))


@pytest.mark.parametrize(
    ("value", "ok"),
    [(0, True), (1, True), (L - 1, True), (L, False), (L + 1, False), (2**256 - 1, False)],
)
def test_decode_scalar_bounds(value: int, ok: bool):
    b = value.to_bytes(32, "little")
    if ok:
        assert group.decode_scalar(b) == value
    else:
        with pytest.raises(InvalidScalar):
            group.decode_scalar(b)


@pytest.mark.parametrize("b", [b"", bytes(31), bytes(33), "00" * 32, None])
def test_decode_scalar_rejects_wrong_lengths_and_types(b: object):
    with pytest.raises(InvalidScalar):
        group.decode_scalar(b)  # type: ignore[arg-type]


@given(scalars)
def test_scalar_bytes_round_trip(s: int):
    assert group.decode_scalar(group.scalar_bytes(s)) == s
    assert group.scalar_bytes(s + L) == group.scalar_bytes(s)


# --- hex encodings (encoding.py) ----------------------------------------------------------


def test_hex_round_trips():
    p = group.base_mul(42)
    assert element_from_hex(element_hex(p)) == p
    assert scalar_from_hex(scalar_hex(42)) == 42
    assert scalar_hex(L + 1) == scalar_hex(1)


@pytest.mark.parametrize(
    "text",
    [
        MULTIPLES[1].upper(),
        MULTIPLES[1][:-2],
        MULTIPLES[1] + "00",
        "zz" + MULTIPLES[1][2:],
        " " + MULTIPLES[1][1:],
        None,
        b"\x00" * 32,
    ],
    ids=["uppercase", "short", "long", "not hex", "space", "None", "bytes"],
)
def test_element_from_hex_rejects_malformed_text(text: object):
    with pytest.raises(InvalidEncoding):
        element_from_hex(text)


@pytest.mark.parametrize(
    "text",
    [
        "AB" * 32,
        "ab" * 31,
        "ab" * 33,
        "zz" + "ab" * 31,
        " " + "a" * 63,
        "ab " * 21 + "a",
        "ab" * 31 + "\n" + "a",
        None,
        b"\x01" * 32,
    ],
    ids=[
        "uppercase",
        "short",
        "long",
        "not hex",
        "space",
        "spaced pairs",
        "newline",
        "None",
        "bytes",
    ],
)
def test_scalar_from_hex_rejects_malformed_text(text: object):
    # what bytes.fromhex alone would take (upper case, spaces) is refused too
    with pytest.raises(InvalidEncoding):
        scalar_from_hex(text)


@given(
    st.one_of(
        st.text(alphabet="0123456789abcdefABCDEF \n", min_size=60, max_size=68),
        st.binary(min_size=32, max_size=32).map(bytes.hex),
    )
)
@settings(max_examples=300)
def test_scalar_from_hex_takes_exactly_64_lowercase_hex_digits_below_L(text: str):
    well_formed = len(text) == 64 and all(c in "0123456789abcdef" for c in text)
    if well_formed and int.from_bytes(bytes.fromhex(text), "little") < L:
        assert scalar_from_hex(text) == int.from_bytes(bytes.fromhex(text), "little")
    else:
        with pytest.raises((InvalidEncoding, InvalidScalar)):
            scalar_from_hex(text)


def test_element_from_hex_names_the_field():
    with pytest.raises(InvalidElement, match="beta"):
        element_from_hex(INVALID["negative field element"], "beta")
    with pytest.raises(InvalidEncoding, match="alpha"):
        element_from_hex("00", "alpha")


def test_element_from_hex_rejects_bit_255_set():
    with pytest.raises(InvalidElement):
        element_from_hex(with_top_bit(GENERATOR).hex(), "public")


def test_scalar_from_hex_rejects_unreduced_scalars():
    with pytest.raises(InvalidScalar, match="response"):
        scalar_from_hex(L.to_bytes(32, "little").hex(), "response")
    with pytest.raises(InvalidEncoding):
        scalar_from_hex("AB" * 32)


def test_bytes_from_hex():
    assert bytes_from_hex("00ff", 2, "tag") == b"\x00\xff"
    for bad in ("00FF", "00", "00ff00", "zzzz", None):
        with pytest.raises(InvalidEncoding):
            bytes_from_hex(bad, 2, "tag")


# --- group laws (hypothesis) ----------------------------------------------------------------


@given(scalars, scalars)
@settings(max_examples=40)
def test_base_mul_is_a_homomorphism(a: int, b: int):
    assert group.add(group.base_mul(a), group.base_mul(b)) == group.base_mul(a + b)
    assert group.sub(group.base_mul(a), group.base_mul(b)) == group.base_mul(a - b)


@given(scalars, scalars)
@settings(max_examples=40)
def test_mul_composes(a: int, b: int):
    assert group.mul(a, group.base_mul(b)) == group.base_mul(a * b)


@given(nonzero)
@settings(max_examples=40)
def test_inverse(s: int):
    assert s * group.inv(s) % L == 1
    p = group.base_mul(5)
    assert group.mul(group.inv(s), group.mul(s, p)) == p


def test_zero_has_no_inverse():
    with pytest.raises(ZeroDivisionError):
        group.inv(0)
    with pytest.raises(ZeroDivisionError):
        group.inv(L)


# --- elements in their form only (decision 0016) -----------------------------------------

NON_ELEMENTS = [bytes.fromhex(e) for e in INVALID.values() if not int(e[-2:], 16) & 0x80]


def test_element_form_takes_any_32_bytes_with_bit_255_clear():
    for b in [*NON_ELEMENTS, GENERATOR, IDENTITY]:
        assert group.element_form(b) == b
    assert group.element_form(bytearray(GENERATOR)) == GENERATOR
    for bad in (
        with_top_bit(GENERATOR),
        bytes(31),
        bytes(33),
        "e2" * 32,
        bytearray(NON_ELEMENTS[0]),
    ):
        with pytest.raises(InvalidElement):
            group.element_form(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("s", [0, 1, 2, L - 1, L], ids=["0", "1", "2", "L-1", "L"])
def test_mul_refuses_a_non_element_whatever_the_scalar(s: int):
    for p in NON_ELEMENTS:
        with pytest.raises(InvalidElement):
            group.mul(s, group.Element(p))


def test_add_and_sub_refuse_a_non_element_they_compute_with():
    for p in map(group.Element, NON_ELEMENTS):
        for call in (
            lambda: group.add(p, GENERATOR),
            lambda: group.add(GENERATOR, p),
            lambda: group.sub(p, GENERATOR),
            lambda: group.sub(GENERATOR, p),
            lambda: group.neg(p),
        ):
            with pytest.raises(InvalidElement):
                call()
