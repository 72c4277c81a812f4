"""Deterministic generator of the cross-implementation test vectors in tests/vectors/*.json.

    python tests/vectors/generate.py            # (re)write the JSON files next to this script
    python tests/vectors/generate.py --check    # exit 1 if a committed file differs
    python tests/vectors/generate.py --out DIR  # write somewhere else

`saylau` must be importable (installed in the venv, or PYTHONPATH=src).

Every random value comes from `DeterministicRng` with a fixed seed (SEED_PREFIX + a name), so
the files are a pure function of src/saylau/crypto (ballot.json also of src/saylau/protocol
and simulate/manifest_gen.py); tests/vectors/test_vectors.py regenerates
them in memory and compares byte for byte. Known answers copied from RFC 9496 (ristretto255)
and RFC 9380 (expand_message_xmd) are checked here: the generator refuses to write if our code
disagrees with them.

JSON conventions (docs in README.md): scalars and elements are lowercase hex (scalars 32 bytes
little-endian, canonical); plaintexts, option values and indices are JSON integers; hash items
are typed objects {"str": s} | {"hex": h} | {"index": n} | {"scalar": h}. Proof and signature
cases carry the witness and the scalars the prover drew from its RNG ("rng_scalars", in order),
so another implementation can re-prove them byte for byte, and a list of "tampered" variants,
each a complete (statement, context, proof) with "rejected_by": "decoding" | "verification".
ballot.json holds one complete ballot, and tampered ballots whose "rejected_by" names the first
of BALLOT_CHECKS that fails.

To add a vector file: write `build_<name>() -> dict` (with "description"), register it in
FILES below, and add a checker for it in crosscheck.mjs (CHECKERS) and in test_vectors.py
(PY_CHECKERS). Both refuse a directory with a file they cannot check.
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import importlib.util
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from saylau.crypto import dkg, dkg_json, elgamal, group, polynomial, proofs, signatures
from saylau.crypto.encoding import element_hex, scalar_from_hex, scalar_hex
from saylau.crypto.errors import InvalidShare
from saylau.crypto.group import GENERATOR, IDENTITY, Element, L
from saylau.crypto.hashing import (
    Index,
    Item,
    Scalar,
    digest,
    expand_message_xmd,
    frame,
    hash_to_element,
    hash_to_scalar,
)
from saylau.crypto.rand import DeterministicRng
from saylau.protocol import credentials as creds
from saylau.protocol.ballot import (
    ElectionContext,
    encrypt_ballot,
    option_context,
    range_context,
    signed_message,
    verify_ballot,
    weighted_total,
)
from saylau.protocol.canonical import canonical_json
from saylau.protocol.credentials import SecretCredential
from saylau.protocol.keyceremony import dkg_context
from saylau.protocol.manifest import GROUP_NAME, TAG_FINGERPRINT, Contest, manifest_from_json
from saylau.simulate.manifest_gen import make_manifest

Json = dict[str, Any]

HERE = Path(__file__).resolve().parent
GENERATOR_NAME = "tests/vectors/generate.py"
SEED_PREFIX = "saylau-vectors/v1/"
#: Largest index a JSON number carries exactly in every language (2^53 - 1).
MAX_JSON_INDEX = 2**53 - 1
#: p = 2^255 - 19, the field of Curve25519.
P25519 = 2**255 - 19


class VectorError(Exception):
    """Our code disagrees with a published known answer, or a vector is malformed."""


# --- typed hash items -----------------------------------------------------------------


def item_to_json(item: Item) -> Json:
    if isinstance(item, bytes):
        return {"hex": item.hex()}
    if isinstance(item, str):
        return {"str": item}
    if isinstance(item, Index):
        if not 0 <= item.value <= MAX_JSON_INDEX:
            raise VectorError(f"index {item.value} does not fit a JSON number exactly")
        return {"index": item.value}
    if isinstance(item, Scalar):
        return {"scalar": scalar_hex(item.value)}
    raise TypeError(f"not a hash item: {item!r}")


def item_from_json(obj: object) -> Item:
    """Decode one typed item; raises ValueError (or InvalidEncoding) on anything malformed."""
    if not isinstance(obj, dict) or len(obj) != 1:
        raise ValueError(f"a hash item is an object with exactly one key, got {obj!r}")
    ((kind, value),) = obj.items()
    if kind == "str" and isinstance(value, str):
        return value
    if kind == "hex" and isinstance(value, str) and value == value.lower() and len(value) % 2 == 0:
        return bytes.fromhex(value)
    if kind == "index" and type(value) is int and 0 <= value <= MAX_JSON_INDEX:
        return Index(value)
    if kind == "scalar":
        return Scalar(scalar_from_hex(value, "scalar item"))
    raise ValueError(f"malformed hash item {obj!r}")


def items_to_json(items: Sequence[Item]) -> list[Json]:
    return [item_to_json(i) for i in items]


def items_from_json(objs: object) -> list[Item]:
    if not isinstance(objs, list):
        raise ValueError("a context is a list of items")
    return [item_from_json(o) for o in objs]


# --- randomness -----------------------------------------------------------------------


def rng(name: str) -> DeterministicRng:
    return DeterministicRng(SEED_PREFIX + name)


class RecordingRng:
    """A DeterministicRng that remembers, in order, the scalars it hands to a prover."""

    def __init__(self, name: str) -> None:
        self._rng = rng(name)
        self.drawn: list[int] = []

    def scalar(self) -> int:
        s = self._rng.scalar()
        self.drawn.append(s)
        return s

    def bytes(self, n: int) -> bytes:
        raise VectorError("the provers are expected to draw scalars only")

    def drawn_hex(self) -> list[str]:
        return [scalar_hex(s) for s in self.drawn]


# --- small helpers for tampering ----------------------------------------------------------


def _s(h: str) -> int:
    return int.from_bytes(bytes.fromhex(h), "little")


def bump(h: str, delta: int = 1) -> str:
    """A canonical scalar hex changed by `delta` (mod L)."""
    return scalar_hex(_s(h) + delta)


def unreduced(h: str) -> str:
    """The same scalar plus L: same value mod L, but not a canonical encoding."""
    return (_s(h) + L).to_bytes(32, "little").hex()


def plus_generator(h: str) -> str:
    return element_hex(group.add(Element(bytes.fromhex(h)), GENERATOR))


def top_bit_set(h: str) -> str:
    """The encoding with bit 255 set: s >= 2^255 > p, so not canonical (RFC 9496, 4.3.1)."""
    b = bytearray.fromhex(h)
    b[31] |= 0x80
    return b.hex()


def with_key(d: Json, key: str, value: Any) -> Json:
    out = copy.deepcopy(d)
    out[key] = value
    return out


def variant(case: Json, name: str, rejected_by: str, **parts: Any) -> Json:
    """A complete tampered copy of `case` with some of statement/context/proof replaced."""
    if rejected_by not in ("decoding", "verification"):
        raise VectorError(rejected_by)
    out: Json = {"name": name, "rejected_by": rejected_by}
    for key in ("statement", "context", "proof"):
        out[key] = copy.deepcopy(parts[key] if key in parts else case[key])
    unknown = set(parts) - {"statement", "context", "proof"}
    if unknown:
        raise VectorError(f"unknown parts {unknown}")
    return out


def header(description: str) -> Json:
    return {"description": description, "generator": GENERATOR_NAME, "seed_prefix": SEED_PREFIX}


# --- group.json ---------------------------------------------------------------------------

#: RFC 9496, Appendix A.1: encodings of k·B for k = 0 .. 15.
RFC9496_A1 = [
    "0000000000000000000000000000000000000000000000000000000000000000",
    "e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76",
    "6a493210f7499cd17fecb510ae0cea23a110e8d5b901f8acadd3095c73a3b919",
    "94741f5d5d52755ece4f23f044ee27d5d1ea1e2bd196b462166b16152a9d0259",
    "da80862773358b466ffadfe0b3293ab3d9fd53c5ea6c955358f568322daf6a57",
    "e882b131016b52c1d3337080187cf768423efccbb517bb495ab812c4160ff44e",
    "f64746d3c92b13050ed8d80236a7f0007c3b3f962f5ba793d19a601ebb1df403",
    "44f53520926ec81fbd5a387845beb7df85a96a24ece18738bdcfa6a7822a176d",
    "903293d8f2287ebe10e2374dc1a53e0bc887e592699f02d077d5263cdd55601c",
    "02622ace8f7303a31cafc63f8fc48fdc16e1c8c8d234b2f0d6685282a9076031",
    "20706fd788b2720a1ed2a5dad4952b01f413bcf0e7564de8cdc816689e2db95f",
    "bce83f8ba5dd2fa572864c24ba1810f9522bc6004afe95877ac73241cafdab42",
    "e4549ee16b9aa03099ca208c67adafcafa4c3f3e4e5303de6026e3ca8ff84460",
    "aa52e000df2e16f55fb1032fc33bc42742dad6bd5a8fc0be0167436c5948501f",
    "46376b80f409b29dc2b5f6f0c52591990896e5716f41477cd30085ab7f10301e",
    "e0c418f7c8d9c4cdd7395b93ea124f3ad99021bb681dfc3302a9d99a2e53e64e",
]

#: RFC 9496, Appendix A.2: invalid encodings, grouped by the reason the RFC gives.
RFC9496_A2: list[tuple[str, list[str]]] = [
    (
        "non-canonical field encoding",
        [
            "00ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
            "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "f3ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        ],
    ),
    (
        "negative field element",
        [
            "0100000000000000000000000000000000000000000000000000000000000000",
            "01ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
            "ed57ffd8c914fb201471d1c3d245ce3c746fcbe63a3679d51b6a516ebebe0e20",
            "c34c4e1826e5d403b78e246e88aa051c36ccf0aafebffe137d148a2bf9104562",
            "c940e5a4404157cfb1628b108db051a8d439e1a421394ec4ebccb9ec92a8ac78",
            "47cfc5497c53dc8e61c91d17fd626ffb1c49e2bca94eed052281b510b1117a24",
            "f1c6165d33367351b0da8f6e4511010c68174a03b6581212c71c0e1d026c3c72",
            "87260f7a2f12495118360f02c26a470f450dadf34a413d21042b43b9d93e1309",
        ],
    ),
    (
        "non-square x^2",
        [
            "26948d35ca62e643e26a83177332e6b6afeb9d08e4268b650f1f5bbd8d81d371",
            "4eac077a713c57b4f4397629a4145982c661f48044dd3f96427d40b147d9742f",
            "de6a7b00deadc788eb6b6c8d20c0ae96c2f2019078fa604fee5b87d6e989ad7b",
            "bcab477be20861e01e4a0e295284146a510150d9817763caf1a6f4b422d67042",
            "2a292df7e32cababbd9de088d1d1abec9fc0440f637ed2fba145094dc14bea08",
            "f4a9e534fc0d216c44b218fa0c42d99635a0127ee2e53c712f70609649fdff22",
            "8268436f8c4126196cf64b3c7ddbda90746a378625f9813dd9b8457077256731",
            "2810e5cbc2cc4d4eece54f61c6f69758e289aa7ab440b3cbeaa21995c2f4232b",
        ],
    ),
    (
        "negative xy value",
        [
            "3eb858e78f5a7254d8c9731174a94f76755fd3941c0ac93735c07ba14579630e",
            "a45fdc55c76448c049a1ab33f17023edfb2be3581e9c7aade8a6125215e04220",
            "d483fe813c6ba647ebbfd3ec41adca1c6130c2beeee9d9bf065c8d151c5f396e",
            "8a2e1d30050198c65a54483123960ccc38aef6848e1ec8f5f780e8523769ba32",
            "32888462f8b486c68ad7dd9610be5192bbeaf3b443951ac1a8118419d9fa097b",
            "227142501b9d4355ccba290404bde41575b037693cef1f438c47f8fbf35d1165",
            "5c37cc491da847cfeb9281d407efc41e15144c876e0170b499a96a22ed31e01e",
            "445425117cb8c90edcbc7c1cc0e74f747f2c1efa5630a967c64f287792a48a4b",
        ],
    ),
    (
        "s = -1, which causes y = 0",
        ["ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"],
    ),
]

_A3_SAME = "304282791023b73128d277bdcb5c7746ef2eac08dde9f2983379cb8e5ef0517f"

#: RFC 9496, Appendix A.3: element derivation (the one-way map of section 4.3.4),
#: 64-byte input -> encoding. The last four inputs all map to the same element.
RFC9496_A3 = [
    (
        "5d1be09e3d0c82fc538112490e35701979d99e06ca3e2b5b54bffe8b4dc772c1"
        "4d98b696a1bbfb5ca32c436cc61c16563790306c79eaca7705668b47dffe5bb6",
        "3066f82a1a747d45120d1740f14358531a8f04bbffe6a819f86dfe50f44a0a46",
    ),
    (
        "f116b34b8f17ceb56e8732a60d913dd10cce47a6d53bee9204be8b44f6678b27"
        "0102a56902e2488c46120e9276cfe54638286b9e4b3cdb470b542d46c2068d38",
        "f26e5b6f7d362d2d2a94c5d0e7602cb4773c95a2e5c31a64f133189fa76ed61b",
    ),
    (
        "8422e1bbdaab52938b81fd602effb6f89110e1e57208ad12d9ad767e2e25510c"
        "27140775f9337088b982d83d7fcf0b2fa1edffe51952cbe7365e95c86eaf325c",
        "006ccd2a9e6867e6a2c5cea83d3302cc9de128dd2a9a57dd8ee7b9d7ffe02826",
    ),
    (
        "ac22415129b61427bf464e17baee8db65940c233b98afce8d17c57beeb7876c2"
        "150d15af1cb1fb824bbd14955f2b57d08d388aab431a391cfc33d5bafb5dbbaf",
        "f8f0c87cf237953c5890aec3998169005dae3eca1fbb04548c635953c817f92a",
    ),
    (
        "165d697a1ef3d5cf3c38565beefcf88c0f282b8e7dbd28544c483432f1cec767"
        "5debea8ebb4e5fe7d6f6e5db15f15587ac4d4d4a1de7191e0c1ca6664abcc413",
        "ae81e7dedf20a497e10c304a765c1767a42d6e06029758d2d7e8ef7cc4c41179",
    ),
    (
        "a836e6c9a9ca9f1e8d486273ad56a78c70cf18f0ce10abb1c7172ddd605d7fd2"
        "979854f47ae1ccf204a33102095b4200e5befc0465accc263175485f0e17ea5c",
        "e2705652ff9f5e44d3e841bf1c251cf7dddb77d140870d1ab2ed64f1a9ce8628",
    ),
    (
        "2cdc11eaeb95daf01189417cdddbf95952993aa9cb9c640eb5058d09702c7462"
        "2c9965a697a3b345ec24ee56335b556e677b30e6f90ac77d781064f866a3c982",
        "80bd07262511cdde4863f8a7434cef696750681cb9510eea557088f76d9e5065",
    ),
    (
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff"
        "1200000000000000000000000000000000000000000000000000000000000000",
        _A3_SAME,
    ),
    (
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff",
        _A3_SAME,
    ),
    (
        "0000000000000000000000000000000000000000000000000000000000000080"
        "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        _A3_SAME,
    ),
    (
        "0000000000000000000000000000000000000000000000000000000000000000"
        "1200000000000000000000000000000000000000000000000000000000000080",
        _A3_SAME,
    ),
]


def build_group() -> Json:
    for k, expected in enumerate(RFC9496_A1):
        if element_hex(group.base_mul(k)) != expected:
            raise VectorError(f"RFC 9496 A.1: {k}·B differs")
    for inp, expected in RFC9496_A3:
        if element_hex(group.from_uniform_bytes(bytes.fromhex(inp))) != expected:
            raise VectorError(f"RFC 9496 A.3: map({inp[:16]}...) differs")

    r = rng("group")
    two_g = element_hex(group.base_mul(2))
    extra_invalid = [
        {"encoding": top_bit_set(RFC9496_A1[0]), "reason": "identity with bit 255 set"},
        {"encoding": top_bit_set(RFC9496_A1[1]), "reason": "generator with bit 255 set"},
        {"encoding": top_bit_set(two_g), "reason": "2·B with bit 255 set"},
        {
            "encoding": top_bit_set(element_hex(group.base_mul(r.scalar()))),
            "reason": "random element with bit 255 set",
        },
        {
            "encoding": (P25519 + 1).to_bytes(32, "little").hex(),
            "reason": "p + 1 (non-canonical field element)",
        },
        {"encoding": "ff" * 32, "reason": "2^256 - 1"},
        {"encoding": "00" * 31, "reason": "31 bytes"},
        {"encoding": "00" * 33, "reason": "33 bytes"},
        {"encoding": RFC9496_A1[1] + "00", "reason": "generator followed by a zero byte"},
        {"encoding": "", "reason": "empty"},
    ]

    canonical_scalars = [0, 1, 2**252, L - 1]
    non_canonical_scalars = [
        ((L).to_bytes(32, "little").hex(), "L"),
        ((L + 1).to_bytes(32, "little").hex(), "L + 1"),
        ((2**255).to_bytes(32, "little").hex(), "2^255"),
        ("ff" * 32, "2^256 - 1"),
        ("00" * 31, "31 bytes"),
        ("00" * 33, "33 bytes"),
    ]

    scalars = [0, 1, 2, 3, L - 2, L - 1, *(r.scalar() for _ in range(4))]
    points = [
        IDENTITY,
        GENERATOR,
        group.base_mul(r.scalar()),
        group.base_mul(r.scalar()),
    ]
    base_mul = [
        {"scalar": scalar_hex(s), "element": element_hex(group.base_mul(s))} for s in scalars
    ]
    mul = [
        {
            "scalar": scalar_hex(s),
            "point": element_hex(p),
            "element": element_hex(group.mul(s, p)),
        }
        for p in points
        for s in (0, 1, 2, L - 1, r.scalar(), r.scalar())
    ]
    pairs = [(p, q) for p in points for q in points]
    p2 = points[2]
    pairs.append((p2, group.neg(p2)))
    add = [
        {
            "p": element_hex(p),
            "q": element_hex(q),
            "sum": element_hex(group.add(p, q)),
            "difference": element_hex(group.sub(p, q)),
        }
        for p, q in pairs
    ]
    neg = [{"p": element_hex(p), "neg": element_hex(group.neg(p))} for p in points]

    return {
        **header(
            "ristretto255 group: the RFC 9496 Appendix A test vectors (A.1 multiples of the "
            "generator, A.2 invalid encodings, A.3 element derivation from 64 uniform bytes), "
            "further invalid encodings (bit 255 set, wrong lengths), canonical and "
            "non-canonical scalars, and scalar multiplications, additions, subtractions and "
            "negations computed by libsodium, including the identity and the zero scalar."
        ),
        "order": str(L),
        "generator_element": element_hex(GENERATOR),
        "identity_element": element_hex(IDENTITY),
        "rfc9496_a1_multiples": [{"k": k, "element": e} for k, e in enumerate(RFC9496_A1)],
        "rfc9496_a2_invalid": [
            {"encoding": e, "reason": reason} for reason, encs in RFC9496_A2 for e in encs
        ],
        "rfc9496_a3_from_uniform_bytes": [{"input": i, "element": o} for i, o in RFC9496_A3],
        "extra_invalid_encodings": extra_invalid,
        "canonical_scalars": [
            {"encoding": (s).to_bytes(32, "little").hex(), "value": str(s)}
            for s in canonical_scalars
        ],
        "non_canonical_scalars": [
            {"encoding": e, "reason": why} for e, why in non_canonical_scalars
        ],
        "base_mul": base_mul,
        "mul": mul,
        "add": add,
        "neg": neg,
    }


# --- hashing.json ---------------------------------------------------------------------------

RFC9380_K3_DST = "QUUX-V01-CS02-with-expander-SHA512-256"
_Q128 = "q128_" + "q" * 128
_A512 = "a512_" + "a" * 512

#: RFC 9380, Appendix K.3: expand_message_xmd with SHA-512 (msg, len_in_bytes, uniform_bytes).
RFC9380_K3 = [
    ("", 0x20, "6b9a7312411d92f921c6f68ca0b6380730a1a4d982c507211a90964c394179ba"),
    ("abc", 0x20, "0da749f12fbe5483eb066a5f595055679b976e93abe9be6f0f6318bce7aca8dc"),
    (
        "abcdef0123456789",
        0x20,
        "087e45a86e2939ee8b91100af1583c4938e0f5fc6c9db4b107b83346bc967f58",
    ),
    (_Q128, 0x20, "7336234ee9983902440f6bc35b348352013becd88938d2afec44311caf8356b3"),
    (_A512, 0x20, "57b5f7e766d5be68a6bfe1768e3c2b7f1228b3e4b3134956dd73a59b954c66f4"),
    (
        "",
        0x80,
        "41b037d1734a5f8df225dd8c7de38f851efdb45c372887be655212d07251b921"
        "b052b62eaed99b46f72f2ef4cc96bfaf254ebbbec091e1a3b9e4fb5e5b619d2e"
        "0c5414800a1d882b62bb5cd1778f098b8eb6cb399d5d9d18f5d5842cf5d13d7e"
        "b00a7cff859b605da678b318bd0e65ebff70bec88c753b159a805d2c89c55961",
    ),
    (
        "abc",
        0x80,
        "7f1dddd13c08b543f2e2037b14cefb255b44c83cc397c1786d975653e36a6b11"
        "bdd7732d8b38adb4a0edc26a0cef4bb45217135456e58fbca1703cd6032cb134"
        "7ee720b87972d63fbf232587043ed2901bce7f22610c0419751c065922b48843"
        "1851041310ad659e4b23520e1772ab29dcdeb2002222a363f0c2b1c972b3efe1",
    ),
    (
        "abcdef0123456789",
        0x80,
        "3f721f208e6199fe903545abc26c837ce59ac6fa45733f1baaf0222f8b7acb04"
        "24814fcb5eecf6c1d38f06e9d0a6ccfbf85ae612ab8735dfdf9ce84c372a77c8"
        "f9e1c1e952c3a61b7567dd0693016af51d2745822663d0c2367e3f4f0bed827f"
        "eecc2aaf98c949b5ed0d35c3f1023d64ad1407924288d366ea159f46287e61ac",
    ),
    (
        _Q128,
        0x80,
        "b799b045a58c8d2b4334cf54b78260b45eec544f9f2fb5bd12fb603eaee70db7"
        "317bf807c406e26373922b7b8920fa29142703dd52bdf280084fb7ef69da78af"
        "df80b3586395b433dc66cde048a258e476a561e9deba7060af40adf30c64249c"
        "a7ddea79806ee5beb9a1422949471d267b21bc88e688e4014087a0b592b695ed",
    ),
    (
        _A512,
        0x80,
        "05b0bfef265dcee87654372777b7c44177e2ae4c13a27f103340d9cd11c86cb2"
        "426ffcad5bd964080c2aee97f03be1ca18e30a1f14e27bc11ebbd650f305269c"
        "c9fb1db08bf90bfc79b42a952b46daf810359e7bc36452684784a64952c343c5"
        "2e5124cd1f71d474d5197fefc571a92929c9084ffe1112cf5eea5192ebff330b",
    ),
]

#: hash_to_ristretto255 with the RFC 9380 suite's own DST; the answer is the one in
#: @noble/curves' test suite (RFC 9380 itself has no ristretto255 vectors).
H2C_KNOWN_ANSWER = (
    "ristretto255_XMD:SHA-512_R255MAP_RO_",
    "05" * 10,
    "be2194e53cc014665821003f8ecf49e99b7cd16f5326e53f234ecd21c448ee6c",
)


def _hash_item_lists() -> list[list[Item]]:
    r = rng("hashing/items")
    fingerprint = digest("saylau-v1/test/fingerprint", ["vector election"])
    return [
        [],
        [""],
        [b""],
        ["a"],
        ["ab", "c"],
        ["a", "bc"],
        ["Сайлау — выборы 2025"],
        [b"\x00\x01\xfe\xff"],
        [Index(0)],
        [Index(1)],
        [Index(MAX_JSON_INDEX)],
        [Scalar(0)],
        [Scalar(1)],
        [Scalar(L - 1)],
        [GENERATOR, group.base_mul(r.scalar())],
        [fingerprint, group.base_mul(r.scalar()), "contest-1", Index(3), Scalar(r.scalar())],
        [bytes(range(256)) * 3],
    ]


def build_hashing() -> Json:
    xmd = []
    for msg, n, expected in RFC9380_K3:
        out = expand_message_xmd(msg.encode(), RFC9380_K3_DST.encode(), n)
        if out.hex() != expected:
            raise VectorError(f"RFC 9380 K.3: expand_message_xmd({msg[:8]!r}, {n}) differs")
        xmd.append(
            {
                "source": "RFC 9380 K.3",
                "dst": RFC9380_K3_DST,
                "msg": msg.encode().hex(),
                "len_in_bytes": n,
                "uniform_bytes": expected,
            }
        )
    r = rng("hashing/xmd")
    for dst, n in [
        ("saylau-v1/proof/disjunctive", 64),
        ("saylau-v1/test", 32),
        ("saylau-v1/test", 200),
        ("saylau-v1/test", 255 * 64),
    ]:
        msg = r.bytes(n % 97 + 3)
        xmd.append(
            {
                "source": "saylau",
                "dst": dst,
                "msg": msg.hex(),
                "len_in_bytes": n,
                "uniform_bytes": expand_message_xmd(msg, dst.encode(), n).hex(),
            }
        )

    lists = _hash_item_lists()
    frames = [{"items": items_to_json(items), "framed": frame(items).hex()} for items in lists]
    tags = [
        "saylau-v1/test",
        "saylau-v1/test2",
        proofs.TAG_SCHNORR,
        proofs.TAG_CHAUM_PEDERSEN,
        proofs.TAG_DISJUNCTIVE,
        signatures.TAG_SIGNATURE,
    ]
    to_scalar = []
    for i, items in enumerate(lists):
        # every item list under two tags: the same input, domain-separated
        for tag in (tags[0], tags[1 + i % (len(tags) - 1)]):
            to_scalar.append(
                {
                    "tag": tag,
                    "items": items_to_json(items),
                    "scalar": scalar_hex(hash_to_scalar(tag, items)),
                }
            )
    to_element = []
    for tag in tags[:3]:
        for msg in (b"", b"abc", frame(lists[15]), r.bytes(100)):
            to_element.append(
                {"dst": tag, "msg": msg.hex(), "element": element_hex(hash_to_element(tag, msg))}
            )
    dst, msg_hex, expected = H2C_KNOWN_ANSWER
    uniform = expand_message_xmd(bytes.fromhex(msg_hex), dst.encode(), 64)
    if element_hex(group.from_uniform_bytes(uniform)) != expected:
        raise VectorError("hash_to_ristretto255 known answer differs")
    to_element.append({"dst": dst, "msg": msg_hex, "element": expected})

    digests = [
        {"tag": tag, "items": items_to_json(items), "digest": digest(tag, items).hex()}
        for tag in tags[:2]
        for items in lists[:6] + lists[14:16]
    ]
    return {
        **header(
            "Hashing: RFC 9380 Appendix K.3 expand_message_xmd(SHA-512) plus our own; the "
            "item framing (4-byte big-endian length || bytes; str UTF-8, index 8 bytes "
            "big-endian, scalar 32 bytes little-endian); hash_to_scalar(tag, items) = "
            "int_le(expand_message_xmd_sha512(frame(items), tag, 64)) mod L; "
            "hash_to_element(tag, msg) = RFC 9380 hash_to_ristretto255 with DST = tag; and "
            "digest(tag, items) = SHA-256(frame([tag, *items]))."
        ),
        "expand_message_xmd_sha512": xmd,
        "frame": frames,
        "hash_to_scalar": to_scalar,
        "hash_to_element": to_element,
        "digest": digests,
    }


# --- elgamal.json ---------------------------------------------------------------------------


def build_elgamal() -> Json:
    r = rng("elgamal")
    keys = []
    for _ in range(2):
        x = r.scalar()
        keys.append((x, group.base_mul(x)))
    encryptions = []
    specs = [(0, 0), (0, 1), (0, 2), (0, 3), (0, 7), (0, 100), (1, 0), (1, 1), (1, 5)]
    randomness = {0: 1, 1: L - 1}
    for i, (k, m) in enumerate(specs):
        rr = randomness.get(i, r.scalar())
        ct = elgamal.encrypt(keys[k][1], m, rr)
        encryptions.append(
            {
                "key": k,
                "m": m,
                "r": scalar_hex(rr),
                "alpha": element_hex(ct.alpha),
                "beta": element_hex(ct.beta),
                "plaintext_element": element_hex(elgamal.encode_plaintext(m)),
            }
        )

    def ct_of(i: int) -> elgamal.Ciphertext:
        e = encryptions[i]
        return elgamal.Ciphertext(
            Element(bytes.fromhex(e["alpha"])), Element(bytes.fromhex(e["beta"]))
        )

    sums = []
    for key_index, group_of in (
        (0, [0, 1]),
        (0, [1, 2, 3]),
        (0, [0, 1, 2, 3, 4, 5]),
        (1, [6, 7, 8]),
        (0, []),
    ):
        if any(encryptions[i]["key"] != key_index for i in group_of):
            raise VectorError("a sum mixes keys")
        total = elgamal.sum_ciphertexts([ct_of(i) for i in group_of])
        sums.append(
            {
                "key": key_index,
                "of": group_of,
                "m": sum(encryptions[i]["m"] for i in group_of),
                "alpha": element_hex(total.alpha),
                "beta": element_hex(total.beta),
            }
        )
    scaled = []
    for i, k in ((1, 3), (2, 0), (4, L - 1)):
        sc = ct_of(i).scale(k)
        scaled.append(
            {
                "of": i,
                "k": scalar_hex(k),
                "alpha": element_hex(sc.alpha),
                "beta": element_hex(sc.beta),
            }
        )
    return {
        **header(
            "Exponential ElGamal over ristretto255: Enc_K(m; r) = (r·G, m·G + r·K) for given "
            "(K, m, r), with the key pairs (secret x, K = x·G) so that β − x·α = m·G can be "
            "checked; homomorphic sums (the empty sum is (identity, identity)) and scalings."
        ),
        "keys": [{"secret": scalar_hex(x), "public": element_hex(k)} for x, k in keys],
        "encryptions": encryptions,
        "sums": sums,
        "scaled": scaled,
    }


# --- proofs.json ---------------------------------------------------------------------------


def _fingerprint(name: str) -> bytes:
    return digest("saylau-v1/test/fingerprint", [name])


def _schnorr_case(name: str, secret: int, context: list[Item]) -> Json:
    public = group.base_mul(secret)
    rec = RecordingRng(f"proofs/schnorr/{name}")
    proof = proofs.prove_schnorr(secret, public, context, rec)
    proofs.verify_schnorr(proof, public, context)
    return {
        "name": name,
        "witness": {"secret": scalar_hex(secret)},
        "rng_scalars": rec.drawn_hex(),
        "statement": {"public": element_hex(public)},
        "context": items_to_json(context),
        "proof": {"challenge": scalar_hex(proof.challenge), "response": scalar_hex(proof.response)},
    }


def _cp_case(name: str, secret: int, base: Element, context: list[Item]) -> Json:
    x, d = group.base_mul(secret), group.mul(secret, base)
    rec = RecordingRng(f"proofs/chaum-pedersen/{name}")
    proof = proofs.prove_chaum_pedersen(secret, x, base, d, context, rec)
    proofs.verify_chaum_pedersen(proof, x, base, d, context)
    return {
        "name": name,
        "witness": {"secret": scalar_hex(secret)},
        "rng_scalars": rec.drawn_hex(),
        "statement": {"x": element_hex(x), "base": element_hex(base), "d": element_hex(d)},
        "context": items_to_json(context),
        "proof": {"challenge": scalar_hex(proof.challenge), "response": scalar_hex(proof.response)},
    }


def _disj_case(
    name: str, key: Element, m: int, r: int, values: list[int], context: list[Item]
) -> Json:
    ct = elgamal.encrypt(key, m, r)
    rec = RecordingRng(f"proofs/disjunctive/{name}")
    proof = proofs.prove_disjunctive(key, ct, r, m, values, context, rec)
    proofs.verify_disjunctive(proof, key, ct, values, context)
    return {
        "name": name,
        "witness": {"m": m, "r": scalar_hex(r)},
        "rng_scalars": rec.drawn_hex(),
        "statement": {
            "public_key": element_hex(key),
            "alpha": element_hex(ct.alpha),
            "beta": element_hex(ct.beta),
            "values": values,
        },
        "context": items_to_json(context),
        "proof": {
            "challenges": [scalar_hex(c) for c in proof.challenges],
            "responses": [scalar_hex(v) for v in proof.responses],
        },
    }


def forge_weak_fs_chosen_key(
    seed: str,
) -> tuple[Element, elgamal.Ciphertext, proofs.DisjunctiveProof]:
    """A 0/1 "proof" for an encryption of 2 that passes a commitments-only Fiat–Shamir.

    Bernhard–Pereira–Warinschi (2012): with the challenge c = H(commitments) alone, the
    statement can be chosen after c. Pick a_j = s_j·G, b_j = u_j·G; c = H(a0, b0, a1, b1);
    then the key κ·G with κ = (c + u0/2 + u1) / (s0/2 + s1), challenges c0 = (s0·κ − u0)/2,
    c1 = s1·κ − u1 (so c0 + c1 = c), ciphertext (ρ·G, 2·G + ρ·K), responses v_j = s_j + c_j·ρ.
    """
    r = rng(seed)
    s0, s1, u0, u1, rho = (r.scalar() for _ in range(5))
    commitments = [
        (group.base_mul(s0), group.base_mul(u0)),
        (group.base_mul(s1), group.base_mul(u1)),
    ]
    c = _weak_challenge(commitments)
    half = group.inv(2)
    kappa = (c + u0 * half + u1) * group.inv((s0 * half + s1) % L) % L
    key = group.base_mul(kappa)
    c0 = (s0 * kappa - u0) * half % L
    c1 = (s1 * kappa - u1) % L
    ct = elgamal.encrypt(key, 2, rho)
    proof = proofs.DisjunctiveProof((c0, c1), ((s0 + c0 * rho) % L, (s1 + c1 * rho) % L))
    _assert_weak_valid(proof, key, ct)
    return key, ct, proof


def forge_weak_fs_fixed_key(
    key: Element, seed: str
) -> tuple[elgamal.Ciphertext, proofs.DisjunctiveProof, int, int]:
    """With the election key fixed, a commitments-only hash still lets the ciphertext be chosen
    after the challenge: a0 = s0·G, b0 = t0·K, a1 = s1·G, b1 = s1·K; c = H(commitments);
    c0 = c, c1 = 0, d = (s0 − t0)/c; ciphertext (ρ·G, (ρ + d)·K), which encrypts d·x — neither 0
    nor 1. Returns (ciphertext, proof, ρ, d)."""
    r = rng(seed)
    s0, t0, s1, rho = (r.scalar() for _ in range(4))
    commitments = [
        (group.base_mul(s0), group.mul(t0, key)),
        (group.base_mul(s1), group.mul(s1, key)),
    ]
    c = _weak_challenge(commitments)
    d = (s0 - t0) * group.inv(c) % L
    ct = elgamal.Ciphertext(group.base_mul(rho), group.mul(rho + d, key))
    proof = proofs.DisjunctiveProof((c, 0), ((s0 + c * rho) % L, s1))
    _assert_weak_valid(proof, key, ct)
    return ct, proof, rho, d


def _weak_challenge(commitments: Sequence[tuple[Element, Element]]) -> int:
    """The Helios-style challenge: the commitments alone, nothing of the statement."""
    return hash_to_scalar(proofs.TAG_DISJUNCTIVE, [e for pair in commitments for e in pair])


def _assert_weak_valid(
    proof: proofs.DisjunctiveProof, key: Element, ct: elgamal.Ciphertext
) -> None:
    commitments = proofs.disjunctive_commitments(proof, key, ct, [0, 1])
    if sum(proof.challenges) % L != _weak_challenge(commitments):
        raise VectorError("the weak Fiat–Shamir forgery does not pass the weak verifier")


def _common_tampering(case: Json, other: Json, public_field: str) -> list[Json]:
    """Tamperings shared by the single-challenge proofs (Schnorr, Chaum–Pedersen, signature)."""
    proof, st, ctx = case["proof"], case["statement"], case["context"]
    out = [
        variant(
            case,
            "challenge + 1",
            "verification",
            proof=with_key(proof, "challenge", bump(proof["challenge"])),
        ),
        variant(
            case,
            "response + 1",
            "verification",
            proof=with_key(proof, "response", bump(proof["response"])),
        ),
        variant(
            case,
            "response - 1",
            "verification",
            proof=with_key(proof, "response", bump(proof["response"], -1)),
        ),
        variant(
            case,
            "challenge and response swapped",
            "verification",
            proof={"challenge": proof["response"], "response": proof["challenge"]},
        ),
        variant(case, "context: item appended", "verification", context=[*ctx, {"str": "extra"}]),
        variant(
            case, "context: empty string appended", "verification", context=[*ctx, {"str": ""}]
        ),
        variant(
            case,
            f"statement: {public_field} + G",
            "verification",
            statement=with_key(st, public_field, plus_generator(st[public_field])),
        ),
        variant(case, "proof copied from another statement", "verification", proof=other["proof"]),
        variant(
            case,
            "statement and context of another case",
            "verification",
            statement=other["statement"],
            context=other["context"],
        ),
        variant(
            case,
            "response not reduced (response + L)",
            "decoding",
            proof=with_key(proof, "response", unreduced(proof["response"])),
        ),
        variant(
            case,
            "challenge not reduced (challenge + L)",
            "decoding",
            proof=with_key(proof, "challenge", unreduced(proof["challenge"])),
        ),
        variant(
            case,
            f"statement: {public_field} with bit 255 set",
            "decoding",
            statement=with_key(st, public_field, top_bit_set(st[public_field])),
        ),
        variant(
            case,
            f"statement: {public_field} not a group element",
            "decoding",
            statement=with_key(st, public_field, RFC9496_A2[1][1][3]),
        ),
        variant(
            case, "response is not hex", "decoding", proof=with_key(proof, "response", "zz" * 32)
        ),
    ]
    if ctx:
        out.append(variant(case, "context: last item removed", "verification", context=ctx[:-1]))
        out.append(
            variant(
                case,
                "context: first item changed",
                "verification",
                context=[{"str": "other"}, *ctx[1:]],
            )
        )
        if len(ctx) > 1:
            out.append(variant(case, "context: items reversed", "verification", context=ctx[::-1]))
    return out


def build_proofs() -> Json:
    r = rng("proofs")
    fp = _fingerprint("vector election")
    credential = group.base_mul(r.scalar())

    schnorr = [
        _schnorr_case("trustee key", r.scalar(), [fp, "trustee", Index(1)]),
        _schnorr_case("empty context", r.scalar(), []),
        _schnorr_case("mixed items", r.scalar(), ["Сайлау", Scalar(r.scalar()), Index(0), b""]),
    ]
    for i, case in enumerate(schnorr):
        case["tampered"] = _common_tampering(case, schnorr[(i + 1) % len(schnorr)], "public")

    share_key = r.scalar()
    tally_alpha = group.base_mul(r.scalar())
    cp = [
        _cp_case("decryption share", share_key, tally_alpha, [fp, "decryption-share", Index(2)]),
        _cp_case("random base", r.scalar(), group.base_mul(r.scalar()), [fp]),
        _cp_case("identity base", r.scalar(), IDENTITY, [fp, "identity base"]),
    ]
    for i, case in enumerate(cp):
        st = case["statement"]
        tampered = _common_tampering(case, cp[(i + 1) % len(cp)], "x")
        tampered += [
            variant(
                case,
                "statement: d + G",
                "verification",
                statement=with_key(st, "d", plus_generator(st["d"])),
            ),
            variant(
                case,
                "statement: base + G",
                "verification",
                statement=with_key(st, "base", plus_generator(st["base"])),
            ),
            variant(
                case,
                "statement: x and d swapped",
                "verification",
                statement={**st, "x": st["d"], "d": st["x"]},
            ),
            variant(
                case,
                "statement: d not a group element",
                "decoding",
                statement=with_key(st, "d", RFC9496_A2[3][1][0]),
            ),
        ]
        case["tampered"] = tampered

    election_key = group.base_mul(r.scalar())
    other_key = group.base_mul(r.scalar())

    def ctx(contest: str, option: int, cred: Element = credential) -> list[Item]:
        return [fp, cred, contest, Index(option)]

    disj = [
        _disj_case("option 0/1, m = 0", election_key, 0, r.scalar(), [0, 1], ctx("contest-1", 0)),
        _disj_case("option 0/1, m = 1", election_key, 1, r.scalar(), [0, 1], ctx("contest-1", 0)),
        _disj_case(
            "range 0..3, m = 0", election_key, 0, r.scalar(), [0, 1, 2, 3], ctx("contest-2", 0)
        ),
        _disj_case(
            "range 0..3, m = 2", election_key, 2, r.scalar(), [0, 1, 2, 3], ctx("contest-2", 0)
        ),
        _disj_case(
            "range 0..3, m = 3", election_key, 3, r.scalar(), [0, 1, 2, 3], ctx("contest-2", 0)
        ),
        _disj_case("values 1..2, m = 1", other_key, 1, r.scalar(), [1, 2], ctx("contest-3", 7)),
        _disj_case("option 0/1, m = 1, r = 1", election_key, 1, 1, [0, 1], ctx("contest-1", 1)),
    ]
    siblings = {0: 1, 1: 0, 2: 3, 3: 4, 4: 2, 5: 6, 6: 5}
    for i, case in enumerate(disj):
        case["tampered"] = _disjunctive_tampering(case, disj[siblings[i]], other_key)
    helios_key, helios_ct, helios_proof = forge_weak_fs_chosen_key("proofs/helios/chosen-key")
    fixed_ct, fixed_proof, _, _ = forge_weak_fs_fixed_key(election_key, "proofs/helios/fixed-key")
    base = disj[0]
    for name, key, ct, pr in [
        (
            "weak Fiat–Shamir forgery (Helios): encrypts 2, key and ciphertext chosen after "
            "the challenge",
            helios_key,
            helios_ct,
            helios_proof,
        ),
        (
            "weak Fiat–Shamir forgery (Helios): election key, ciphertext chosen after the "
            "challenge, encrypts neither 0 nor 1",
            election_key,
            fixed_ct,
            fixed_proof,
        ),
    ]:
        base["tampered"].append(
            variant(
                base,
                name,
                "verification",
                statement={
                    "public_key": element_hex(key),
                    "alpha": element_hex(ct.alpha),
                    "beta": element_hex(ct.beta),
                    "values": [0, 1],
                },
                proof={
                    "challenges": [scalar_hex(c) for c in pr.challenges],
                    "responses": [scalar_hex(v) for v in pr.responses],
                },
            )
        )
    return {
        **header(
            "Sigma proofs with the strong Fiat–Shamir transform (src/saylau/crypto/proofs.py): "
            "Schnorr proof of knowledge (challenge = H_schnorr(context, G, X, A)), "
            "Chaum–Pedersen (H_cp(context, G, X, base, D, A, B)) and disjunctive "
            "(H_disj(context, G, K, α, β, n, values..., A_0, B_0, ...)). Each case has the "
            "witness and the prover's RNG scalars in order (so it can be re-proved byte for "
            "byte), and tampered variants that must all be rejected, including two Helios-style "
            "forgeries that pass a commitments-only Fiat–Shamir."
        ),
        "tags": {
            "schnorr": proofs.TAG_SCHNORR,
            "chaum_pedersen": proofs.TAG_CHAUM_PEDERSEN,
            "disjunctive": proofs.TAG_DISJUNCTIVE,
        },
        "schnorr": schnorr,
        "chaum_pedersen": cp,
        "disjunctive": disj,
    }


def _disjunctive_tampering(case: Json, sibling: Json, other_key: Element) -> list[Json]:
    st, ctx, proof = case["statement"], case["context"], case["proof"]
    cs, vs = proof["challenges"], proof["responses"]
    values = st["values"]
    other_cred = element_hex(group.base_mul(7))
    out = [
        variant(
            case,
            "ciphertext: beta + G",
            "verification",
            statement=with_key(st, "beta", plus_generator(st["beta"])),
        ),
        variant(
            case,
            "ciphertext: alpha + G",
            "verification",
            statement=with_key(st, "alpha", plus_generator(st["alpha"])),
        ),
        variant(
            case,
            "ciphertext: alpha and beta swapped",
            "verification",
            statement={**st, "alpha": st["beta"], "beta": st["alpha"]},
        ),
        variant(
            case,
            "statement: another public key",
            "verification",
            statement=with_key(
                st,
                "public_key",
                element_hex(other_key)
                if st["public_key"] != element_hex(other_key)
                else element_hex(GENERATOR),
            ),
        ),
        variant(
            case,
            "statement: values shifted by one",
            "verification",
            statement=with_key(st, "values", [v + 1 for v in values]),
        ),
        variant(
            case,
            "statement: values reversed",
            "verification",
            statement=with_key(st, "values", values[::-1]),
        ),
        variant(
            case,
            "context: another voter credential",
            "verification",
            context=[ctx[0], {"hex": other_cred}, *ctx[2:]],
        ),
        variant(
            case,
            "context: another option index",
            "verification",
            context=[*ctx[:-1], {"index": ctx[-1]["index"] + 1}],
        ),
        variant(case, "context: item removed", "verification", context=ctx[:-1]),
        variant(case, "context: item appended", "verification", context=[*ctx, {"str": "extra"}]),
        variant(case, "context: empty", "verification", context=[]),
        variant(
            case,
            "branches swapped (challenges and responses reversed)",
            "verification",
            proof={"challenges": cs[::-1], "responses": vs[::-1]},
        ),
        variant(
            case,
            "challenges reversed only",
            "verification",
            proof={"challenges": cs[::-1], "responses": vs},
        ),
        variant(
            case,
            "challenge 0 + 1",
            "verification",
            proof={"challenges": [bump(cs[0]), *cs[1:]], "responses": vs},
        ),
        variant(
            case,
            "response 0 + 1",
            "verification",
            proof={"challenges": cs, "responses": [bump(vs[0]), *vs[1:]]},
        ),
        variant(
            case,
            "last response + 1",
            "verification",
            proof={"challenges": cs, "responses": [*vs[:-1], bump(vs[-1])]},
        ),
        variant(
            case,
            "challenge moved between branches (sum unchanged)",
            "verification",
            proof={"challenges": [bump(cs[0]), bump(cs[1], -1), *cs[2:]], "responses": vs},
        ),
        variant(
            case,
            "one branch dropped",
            "verification",
            proof={"challenges": cs[:-1], "responses": vs[:-1]},
        ),
        variant(
            case,
            "one branch duplicated",
            "verification",
            proof={"challenges": [*cs, cs[-1]], "responses": [*vs, vs[-1]]},
        ),
        variant(
            case,
            "one response missing",
            "verification",
            proof={"challenges": cs, "responses": vs[:-1]},
        ),
        variant(case, "proof copied to another statement", "verification", proof=sibling["proof"]),
        variant(
            case,
            "statement and context copied from another ballot",
            "verification",
            statement=sibling["statement"],
            context=sibling["context"],
        ),
        variant(
            case,
            "response 0 not reduced (+ L)",
            "decoding",
            proof={"challenges": cs, "responses": [unreduced(vs[0]), *vs[1:]]},
        ),
        variant(
            case,
            "challenge 0 not reduced (+ L)",
            "decoding",
            proof={"challenges": [unreduced(cs[0]), *cs[1:]], "responses": vs},
        ),
        variant(
            case,
            "ciphertext: beta with bit 255 set",
            "decoding",
            statement=with_key(st, "beta", top_bit_set(st["beta"])),
        ),
        variant(
            case,
            "ciphertext: alpha with bit 255 set",
            "decoding",
            statement=with_key(st, "alpha", top_bit_set(st["alpha"])),
        ),
        variant(
            case,
            "ciphertext: beta not a group element",
            "decoding",
            statement=with_key(st, "beta", RFC9496_A2[2][1][0]),
        ),
        variant(
            case,
            "statement: a negative value",
            "decoding",
            statement=with_key(st, "values", [-1, *values[1:]]),
        ),
        variant(
            case,
            "statement: a non-integer value",
            "decoding",
            statement=with_key(st, "values", [str(values[0]), *values[1:]]),
        ),
    ]
    return out


# --- signatures.json --------------------------------------------------------------------------


def _signature_case(name: str, secret: int, message: bytes, context: list[Item]) -> Json:
    public = group.base_mul(secret)
    rec = RecordingRng(f"signatures/{name}")
    sig = signatures.sign(secret, public, message, context, rec)
    signatures.verify(sig, public, message, context)
    return {
        "name": name,
        "witness": {"secret": scalar_hex(secret)},
        "rng_scalars": rec.drawn_hex(),
        "statement": {"public": element_hex(public), "message": message.hex()},
        "context": items_to_json(context),
        "proof": {"challenge": scalar_hex(sig.challenge), "response": scalar_hex(sig.response)},
    }


def build_signatures() -> Json:
    r = rng("signatures")
    fp = _fingerprint("vector election")
    ballot_hash = digest("saylau-v1/test/ballot", ["ballot"])
    cases = [
        _signature_case("ballot", r.scalar(), ballot_hash, [fp, "district-3"]),
        _signature_case("empty message", r.scalar(), b"", [fp]),
        _signature_case("long message, empty context", r.scalar(), r.bytes(300), []),
    ]
    for i, case in enumerate(cases):
        st = case["statement"]
        tampered = _common_tampering(case, cases[(i + 1) % len(cases)], "public")
        msg = bytes.fromhex(st["message"])
        flipped = (bytes([msg[0] ^ 1]) + msg[1:]) if msg else b"\x00"
        tampered += [
            variant(
                case,
                "message: first bit flipped",
                "verification",
                statement=with_key(st, "message", flipped.hex()),
            ),
            variant(
                case,
                "message: a byte appended",
                "verification",
                statement=with_key(st, "message", (msg + b"\x00").hex()),
            ),
            variant(case, "message: not hex", "decoding", statement=with_key(st, "message", "xyz")),
        ]
        if msg:
            tampered.append(
                variant(
                    case,
                    "message: last byte removed",
                    "verification",
                    statement=with_key(st, "message", msg[:-1].hex()),
                )
            )
        # A Schnorr proof of knowledge of the same key is not a signature (domain separation).
        secret = _s(case["witness"]["secret"])
        public = group.base_mul(secret)
        pok = proofs.prove_schnorr(
            secret, public, items_from_json(case["context"]), rng(f"signatures/pok/{i}")
        )
        tampered.append(
            variant(
                case,
                "a Schnorr proof of knowledge of the key (same context), presented as a signature",
                "verification",
                proof={
                    "challenge": scalar_hex(pok.challenge),
                    "response": scalar_hex(pok.response),
                },
            )
        )
        case["tampered"] = tampered
    return {
        **header(
            "Schnorr signatures over ristretto255 (src/saylau/crypto/signatures.py): "
            "c = H_sig(context, G, X, message, w·G), s = w + c·x; statement = (public X, "
            "message), proof = (challenge c, response s). Tampered variants must be rejected."
        ),
        "tag": signatures.TAG_SIGNATURE,
        "cases": cases,
    }


# --- ballot.json -----------------------------------------------------------------------------

BALLOT_ELECTION_ID = "saylau-vectors-primaries"
#: credentials.py: check character = ALPHABET[int_be(SHA-256(prefix + 19 characters)[:8]) % 58].
CREDENTIAL_CHECK_PREFIX = "saylau-v1/credential-check"
#: The rejection stages of a ballot, in the order a verifier checks them (the first failing
#: one is the stage a tampered ballot is rejected at); see verify_ballot in ballot.py.
BALLOT_CHECKS = [
    "encoding",  # the JSON is not a ballot: shape, or a non-canonical scalar/element encoding
    "election",  # bound to another election fingerprint (manifest or joint key)
    "credential",  # not on the published credential list, or listed for another district
    "ballot style",  # contests or number of options differ from the district's ballot style
    "0/1 proof",  # an option's disjunctive proof fails (contest by contest, option by option)
    "range proof",  # a contest's weighted-total range proof fails (after its 0/1 proofs)
    "signature",  # the credential's signature over the ballot fails
]
#: Kazakh letters and the Russian letter a careless transliteration puts in their place.
KAZAKH_TO_RUSSIAN = {"ә": "а", "Ә": "А", "і": "и", "ұ": "у", "ү": "у", "қ": "к", "ғ": "г"}
#: Strings of canonical-JSON cases (Python's json escaping, which JSON.stringify shares).
CANONICAL_STRINGS = [
    'quote " backslash \\ slash / newline \n tab \t cr \r backspace \b formfeed \f',
    "nul \x00 unit separator \x1f delete \x7f no-break space \xa0",
    "line separator \u2028 paragraph separator \u2029 bom \ufeff",
    "Қазақстан Республикасы: Әә Ғғ Ққ Ңң Өө Ұұ Үү Һһ Іі — «Сайлау»",
    "astral: \U0001f5f3\ufe0f \U00010348",
]


def _proof_to_json(p: proofs.DisjunctiveProof) -> Json:
    return {
        "challenges": [scalar_hex(c) for c in p.challenges],
        "responses": [scalar_hex(v) for v in p.responses],
    }


def _choice_to_json(ct: elgamal.Ciphertext, p: proofs.DisjunctiveProof) -> Json:
    return {
        "alpha": element_hex(ct.alpha),
        "beta": element_hex(ct.beta),
        "proof": _proof_to_json(p),
    }


def _resign(ctx: ElectionContext, cred: SecretCredential, body: Json, r: DeterministicRng) -> Json:
    """The ballot re-signed by its credential after an edit: only the credential holder (or
    a malicious booth) can do this, so every check but the signature must catch the edit."""
    body = {k: copy.deepcopy(v) for k, v in body.items() if k != "signature"}
    sig = signatures.sign(cred.scalar, cred.public, signed_message(body), [ctx.fingerprint], r)
    return {
        **body,
        "signature": {"challenge": scalar_hex(sig.challenge), "response": scalar_hex(sig.response)},
    }


def _forged_contest(
    ctx: ElectionContext,
    cred: SecretCredential,
    contest: Contest,
    marks: list[int],
    claimed_total: int,
    r: DeterministicRng,
) -> Json:
    """A malicious booth: a selection that breaks the contest rule, every option encrypted
    with a valid 0/1 proof, and the best range proof it can make: an honest proof with the
    true randomness that the weighted total is `claimed_total` (an allowed value, which it
    is not)."""
    key, fp = ctx.joint_public_key, ctx.fingerprint
    cts, rs, choices = [], [], []
    for j, m in enumerate(marks):
        rr = r.scalar()
        ct = elgamal.encrypt(key, m, rr)
        p = proofs.prove_disjunctive(
            key, ct, rr, m, (0, 1), option_context(fp, cred.public, contest.id, j), r
        )
        cts.append(ct)
        rs.append(rr)
        choices.append(_choice_to_json(ct, p))
    total_ct = weighted_total(contest, cts)
    total_r = sum(rr * contest.weight(j) for j, rr in enumerate(rs)) % L
    if sum(m * contest.weight(j) for j, m in enumerate(marks)) in contest.allowed_totals:
        raise VectorError("the forged selection is allowed by the contest rule")
    rp = proofs.prove_disjunctive(
        key,
        total_ct,
        total_r,
        claimed_total,
        contest.allowed_totals,
        range_context(fp, cred.public, contest.id),
        r,
    )
    return {"id": contest.id, "choices": choices, "range_proof": _proof_to_json(rp)}


def _ballot_variant(name: str, rejected_by: str, ballot: Json, **extra: Any) -> Json:
    if rejected_by not in BALLOT_CHECKS:
        raise VectorError(rejected_by)
    return {"name": name, "rejected_by": rejected_by, **extra, "ballot": copy.deepcopy(ballot)}


def _edited(ballot: Json, path: Sequence[str | int], value: Any) -> Json:
    out = copy.deepcopy(ballot)
    target = out
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return out


def _at(ballot: Json, path: Sequence[str | int]) -> Any:
    for key in path:
        ballot = ballot[key]
    return ballot


def _kazakh_letter_changed(text: str) -> str:
    for i, ch in enumerate(text):
        if ch in KAZAKH_TO_RUSSIAN:
            return text[:i] + KAZAKH_TO_RUSSIAN[ch] + text[i + 1 :]
    raise VectorError(f"no Kazakh letter in {text!r}")


def _homoglyph(text: str) -> str:
    """Cyrillic а (U+0430) replaced by Latin a (U+0061): looks the same, hashes differently."""
    if "а" not in text:
        raise VectorError(f"no Cyrillic а in {text!r}")
    return text.replace("а", "a", 1)


def _canonical_cases() -> list[Json]:
    values: list[Any] = [
        {},
        [],
        {"b": 1, "a": [True, False, None], "c": {"é": "x", "e": "y", "E": "z"}},
        {"": [], "a": {}, "aa": [{}], "B": 0},
        [0, -1, 1, MAX_JSON_INDEX, -MAX_JSON_INDEX],
        # keys sorted by code point: U+FF61 before U+1F5F3 (RFC 8785 sorts by UTF-16 code
        # units and would put the astral key, high surrogate U+D83D, first)
        {"\uff61": 1, "\U0001f5f3": 2, "я": 3, "ә": 4, "а": 5, "z": 6},
        *CANONICAL_STRINGS,
        {s[:12]: s for s in CANONICAL_STRINGS},
    ]
    return [
        {
            "value": v,
            "canonical": canonical_json(v).decode("utf-8"),
            "utf8": canonical_json(v).hex(),
        }
        for v in values
    ]


def _ballot_style(ctx: ElectionContext, district: str) -> list[Json]:
    return [
        {
            "id": c.id,
            "options": len(c.options),
            "min_marks": c.min_marks,
            "max_marks": c.max_marks,
            "against_all_index": c.against_all_index,
            "weights": [c.weight(j) for j in range(len(c.options))],
            "allowed_totals": list(c.allowed_totals),
        }
        for c in ctx.manifest.contests_for(district)
    ]


def build_ballot() -> Json:
    r = rng("ballot")
    manifest_raw = make_manifest(BALLOT_ELECTION_ID, 3)
    manifest = manifest_from_json(manifest_raw)
    secret_key = r.scalar()
    ctx = ElectionContext.make(manifest, group.base_mul(secret_key))
    fp = ctx.fingerprint
    district = manifest.districts[1].id
    mazhilis, maslikhat = manifest.contests_for(district)
    if (mazhilis.max_marks, maslikhat.max_marks) != (1, 3):
        raise VectorError("make_manifest changed: expected a vote-for-1 and a vote-for-up-to-3")

    # the voter, and the published list: three credentials per district, sorted by encoding
    voter = creds.generate(BALLOT_ELECTION_ID, r)
    others = {
        d.id: [creds.generate(BALLOT_ELECTION_ID, r) for _ in range(2)] for d in manifest.districts
    }
    published = {
        d: sorted(element_hex(c.public) for c in others[d] + ([voter] if d == district else []))
        for d in others
    }
    credential_districts = {Element(bytes.fromhex(h)): d for d, hs in published.items() for h in hs}

    selection = {
        mazhilis.id: [1 if j == 3 else 0 for j in range(len(mazhilis.options))],
        maslikhat.id: [1 if j in (1, 5) else 0 for j in range(len(maslikhat.options))],
    }
    rec = RecordingRng("ballot/encrypt")
    b = encrypt_ballot(ctx, district, selection, voter, rec)
    verify_ballot(ctx, b, credential_districts)
    ballot = b.raw

    decryption: dict[str, list[str]] = {}
    totals: dict[str, Json] = {}
    for contest, enc in zip(manifest.contests_for(district), b.contests, strict=True):
        cts = [ch.ct for ch in enc.choices]
        decryption[contest.id] = [
            element_hex(elgamal.decrypt_to_element(secret_key, ct)) for ct in cts
        ]
        if decryption[contest.id] != [
            element_hex(elgamal.encode_plaintext(m)) for m in selection[contest.id]
        ]:
            raise VectorError("the ballot does not decrypt to the selection")
        total = weighted_total(contest, cts)
        totals[contest.id] = {
            "alpha": element_hex(total.alpha),
            "beta": element_hex(total.beta),
            "m": sum(m * contest.weight(j) for j, m in enumerate(selection[contest.id])),
        }

    # --- tampered ballots --------------------------------------------------------------
    t = rng("ballot/tamper")
    c0 = ["contests", 0, "choices"]
    marked = selection[mazhilis.id].index(1)
    choices0 = ballot["contests"][0]["choices"]
    variants: list[Json] = []

    def add(name: str, rejected_by: str, tampered: Json, **extra: Any) -> None:
        variants.append(_ballot_variant(name, rejected_by, tampered, **extra))

    # encoding
    add(
        "an alpha with bit 255 set (otherwise a valid element)",
        "encoding",
        _edited(ballot, [*c0, 2, "alpha"], top_bit_set(choices0[2]["alpha"])),
    )
    add(
        "a beta that is the non-canonical field element p + 1",
        "encoding",
        _edited(ballot, [*c0, 2, "beta"], (P25519 + 1).to_bytes(32, "little").hex()),
    )
    add(
        "a beta that is no ristretto255 encoding (RFC 9496 A.2, negative xy)",
        "encoding",
        _edited(ballot, [*c0, 3, "beta"], RFC9496_A2[3][1][0]),
    )
    add(
        "an element in uppercase hex",
        "encoding",
        _edited(ballot, [*c0, 0, "alpha"], choices0[0]["alpha"].upper()),
    )
    add(
        "the signature response + L (a scalar >= L, same value mod L)",
        "encoding",
        _edited(ballot, ["signature", "response"], unreduced(ballot["signature"]["response"])),
    )
    ch = choices0[5]["proof"]["challenges"]
    add(
        "a 0/1 proof challenge + L",
        "encoding",
        _edited(ballot, [*c0, 5, "proof", "challenges"], [unreduced(ch[0]), *ch[1:]]),
    )
    rs = choices0[5]["proof"]["responses"]
    add(
        "a 0/1 proof with one response fewer than challenges",
        "encoding",
        _edited(ballot, [*c0, 5, "proof", "responses"], rs[:1]),
    )
    add(
        "the public credential is not a group element",
        "encoding",
        _edited(ballot, ["credential"], RFC9496_A2[2][1][0]),
    )
    add("an extra field", "encoding", {**ballot, "booth": "saylau-web/1"})
    add(
        "the election fingerprint in uppercase hex (re-signed)",
        "encoding",
        _resign(ctx, voter, {**ballot, "election": ballot["election"].upper()}, t),
    )

    # election
    other_ctx = ElectionContext.make(manifest, group.base_mul(t.scalar()))
    add(
        "the fingerprint field replaced by another election's fingerprint",
        "election",
        _edited(ballot, ["election"], other_ctx.fingerprint.hex()),
    )
    add(
        "a valid ballot of the same voter for another election (same manifest, another joint key)",
        "election",
        encrypt_ballot(other_ctx, district, selection, voter, t).raw,
    )
    mazhilis_at = [c["id"] for c in manifest_raw["contests"]].index(mazhilis.id)
    for what, path, change in [
        (
            "a Kazakh letter of the marked candidate's name changed to its Russian counterpart",
            ["contests", mazhilis_at, "options", marked, "name", "kk"],
            _kazakh_letter_changed,
        ),
        (
            "a Cyrillic а in the district's Russian name replaced by a Latin a (homoglyph)",
            ["districts", 1, "name", "ru"],
            _homoglyph,
        ),
    ]:
        changed = _edited(manifest_raw, path, change(_at(manifest_raw, path)))
        changed_fp = ElectionContext.make(manifest_from_json(changed), ctx.joint_public_key)
        if changed_fp.fingerprint == fp:
            raise VectorError("a changed manifest kept its fingerprint")
        add(
            f"the ballot checked against a manifest with {what}",
            "election",
            ballot,
            manifest=changed,
            fingerprint=changed_fp.fingerprint.hex(),
        )

    # credential
    intruder = creds.generate(BALLOT_ELECTION_ID, t)
    add(
        "a valid ballot signed by a credential not on the published list",
        "credential",
        encrypt_ballot(ctx, district, selection, intruder, t).raw,
    )
    elsewhere = manifest.districts[0].id
    add(
        f"a valid ballot for {district} by a credential listed for {elsewhere}",
        "credential",
        encrypt_ballot(ctx, district, selection, others[elsewhere][0], t).raw,
    )
    add(
        "the district field changed (the credential is listed for the original)",
        "credential",
        _edited(ballot, ["district"], manifest.districts[2].id),
    )

    # ballot style
    add(
        "an unknown district (verified without the credential list)",
        "ballot style",
        _edited(ballot, ["district"], "atlantis"),
        without_credential_list=True,
    )
    add(
        "the second contest removed (re-signed)",
        "ballot style",
        _resign(ctx, voter, {**ballot, "contests": ballot["contests"][:1]}, t),
    )
    add(
        "the last option of the vote-for-1 contest removed (re-signed)",
        "ballot style",
        _resign(ctx, voter, _edited(ballot, c0, choices0[:-1]), t),
    )
    add(
        "the contests in the wrong order (re-signed)",
        "ballot style",
        _resign(ctx, voter, {**ballot, "contests": ballot["contests"][::-1]}, t),
    )

    # 0/1 proofs
    add(
        "a ciphertext altered (beta + G: the option now encrypts 1 more)",
        "0/1 proof",
        _edited(ballot, [*c0, 3, "beta"], plus_generator(choices0[3]["beta"])),
    )
    unmarked = 0 if marked else 1
    swapped = copy.deepcopy(choices0)
    swapped[unmarked], swapped[marked] = swapped[marked], swapped[unmarked]
    add(
        f"the choices of options {unmarked} and {marked} swapped with their proofs "
        "(moves the mark; the weighted total is unchanged)",
        "0/1 proof",
        _edited(ballot, c0, swapped),
    )
    swapped = copy.deepcopy(choices0)
    for key in ("alpha", "beta"):
        swapped[unmarked][key], swapped[marked][key] = swapped[marked][key], swapped[unmarked][key]
    add(
        f"the ciphertexts of options {unmarked} and {marked} swapped, proofs left in place",
        "0/1 proof",
        _edited(ballot, c0, swapped),
    )
    add(
        "a proof copied from another option of the same ballot",
        "0/1 proof",
        _edited(ballot, [*c0, 6, "proof"], choices0[7]["proof"]),
    )
    listed_neighbour = others[district][0]
    add(
        "the credential field replaced by another voter's listed credential "
        "(every proof context names the credential)",
        "0/1 proof",
        _edited(ballot, ["credential"], element_hex(listed_neighbour.public)),
    )
    add(
        "a 0/1 proof with an extra branch (three challenges and responses)",
        "0/1 proof",
        _edited(
            ballot,
            [*c0, 5, "proof"],
            {"challenges": [*ch, ch[0]], "responses": [*rs, rs[0]]},
        ),
    )

    # range proofs
    forged = copy.deepcopy(ballot)
    forged["contests"][0] = _forged_contest(
        ctx, voter, mazhilis, [1 if j in (2, marked) else 0 for j in range(12)], 1, t
    )
    add(
        "two marks in the vote-for-1 contest (valid 0/1 proofs, a range proof "
        "made with the true randomness for the false claim 'total 1', re-signed)",
        "range proof",
        _resign(ctx, voter, forged, t),
    )
    forged = copy.deepcopy(ballot)
    aa = maslikhat.against_all_index
    forged["contests"][1] = _forged_contest(
        ctx, voter, maslikhat, [1 if j in (0, aa) else 0 for j in range(8)], 3, t
    )
    add(
        "'against all' and a candidate in the vote-for-up-to-3 contest "
        "(weighted total 1 + 3 = 4; range proof for the false claim 'total 3', re-signed)",
        "range proof",
        _resign(ctx, voter, forged, t),
    )
    forged = copy.deepcopy(ballot)
    forged["contests"][0] = _forged_contest(ctx, voter, mazhilis, [0] * 12, 1, t)
    add(
        "no mark in the vote-for-1 contest (min_marks = 1; re-signed)",
        "range proof",
        _resign(ctx, voter, forged, t),
    )

    # signature
    add(
        "the response + 1",
        "signature",
        _edited(ballot, ["signature", "response"], bump(ballot["signature"]["response"])),
    )
    revote_selection = {
        mazhilis.id: [1 if j == 0 else 0 for j in range(12)],
        maslikhat.id: [1 if j == aa else 0 for j in range(8)],
    }
    revote = encrypt_ballot(ctx, district, revote_selection, voter, t).raw
    add(
        "the second contest taken from the same voter's re-vote ('against all'; "
        "its proofs are valid), the signature of the first ballot kept",
        "signature",
        {**ballot, "contests": [ballot["contests"][0], revote["contests"][1]]},
    )
    add(
        "the signature of the same voter's re-vote",
        "signature",
        {**ballot, "signature": revote["signature"]},
    )
    nobody = SecretCredential("identity", 0, IDENTITY)
    add(
        "the identity element as public credential, with a signature anyone can make "
        "(scalar 0; every proof valid; verified without the credential list)",
        "signature",
        encrypt_ballot(ctx, district, selection, nobody, t).raw,
        without_credential_list=True,
    )
    body = {k: v for k, v in ballot.items() if k != "signature"}
    loose = hashlib.sha256(json.dumps(body).encode()).digest()
    sig = signatures.sign(voter.scalar, voter.public, loose, [fp], t)
    add(
        "signed over json.dumps with default separators instead of canonical JSON",
        "signature",
        {
            **body,
            "signature": {
                "challenge": scalar_hex(sig.challenge),
                "response": scalar_hex(sig.response),
            },
        },
    )

    return {
        **header(
            "A complete encrypted ballot (src/saylau/protocol/ballot.py) with everything needed "
            "to check it: the manifest (make_manifest, Kazakh/Russian names), the joint key "
            "pair, the election fingerprint = SHA-256(frame([tag, canonical_json(manifest), "
            "'ristretto255', G, K])), the voter's credential code and public credential "
            "(s = hash_to_scalar(credential tag, [election_id, code])), the published "
            "credential list, the plaintext selection and the prover's RNG scalars (so the "
            "ballot can be re-encrypted byte for byte), the signed message digest, the "
            "tracking code and the decryption of every option; canonical-JSON cases; and "
            "tampered ballots, each rejected at a named check (the first that fails, in the "
            "order of `checks`)."
        ),
        "tags": {
            "fingerprint": TAG_FINGERPRINT,
            "credential": creds.TAG_CREDENTIAL,
            "credential_check_prefix": CREDENTIAL_CHECK_PREFIX,
            "disjunctive": proofs.TAG_DISJUNCTIVE,
            "signature": signatures.TAG_SIGNATURE,
        },
        "group": GROUP_NAME,
        "checks": BALLOT_CHECKS,
        "canonical_json": _canonical_cases(),
        "manifest": manifest_raw,
        "manifest_canonical_sha256": hashlib.sha256(canonical_json(manifest_raw)).hexdigest(),
        "joint_key": {
            "secret": scalar_hex(secret_key),
            "public": element_hex(ctx.joint_public_key),
        },
        "fingerprint": fp.hex(),
        "credential": {
            "display": voter.display,
            "code": voter.code,
            "scalar": scalar_hex(voter.scalar),
            "public": element_hex(voter.public),
        },
        "published_credentials": published,
        "district": district,
        "ballot_style": _ballot_style(ctx, district),
        "selection": selection,
        "rng_scalars": rec.drawn_hex(),
        "ballot": ballot,
        "signed_message": signed_message(ballot).hex(),
        "tracking_code": b.tracking_code,
        "decryption": decryption,
        "weighted_totals": totals,
        "tampered": variants,
    }


# --- driver ---------------------------------------------------------------------------------

#: File name -> builder. Add a vector file type by adding one entry here (and a checker in
#: crosscheck.mjs and test_vectors.py).
# --- dkg.json -----------------------------------------------------------------------------

DKG_ELECTION = "vector-dkg"
DKG_N, DKG_T = 4, 2
DKG_FAULTY, DKG_SILENT = 2, 3  # dealer 2 sends trustee 1 a wrong share; trustee 3 falls silent


def _disclosure_judgements(tr: dkg.Transcript, context: list[Item]) -> list[Json]:
    keys = {k.trustee: k.public for k in tr.transport_keys}
    deals = {d.dealer: d for d in tr.deals}
    out = []
    for where, listed in (("complaints", tr.complaints), ("disclosures", tr.disclosures)):
        for c in listed:
            try:
                share = dkg.judge_disclosure(c, deals[c.dealer], keys, context)
                judged: Json = {"founded": False, "share": scalar_hex(share.value)}
            except InvalidShare:
                judged = {"founded": True, "share": None}
            out.append({"list": where, "dealer": c.dealer, "recipient": c.recipient, **judged})
    return out


def _feldman(tr: dkg.Transcript, judged: list[Json], result: dkg.DkgResult) -> list[Json]:
    """Each QUAL dealer's Feldman commitments: its extraction's, or rebuilt (§6.7) from the t
    valid disclosed shares with the lowest recipients."""
    extracted = {e.dealer: e.commitments for e in tr.extractions}
    out = []
    for i in result.qual:
        if i not in result.reconstructed:
            out.append(
                {
                    "dealer": i,
                    "source": "extraction",
                    "commitments": [element_hex(a) for a in extracted[i]],
                }
            )
            continue
        points = sorted(
            (c["recipient"], scalar_from_hex(c["share"], "share"))
            for c in judged
            if c["dealer"] == i and not c["founded"]
        )[: tr.t]
        coefficients = polynomial.interpolate(dict(points))  # the reference's §6.7 arithmetic
        out.append(
            {
                "dealer": i,
                "source": "reconstruction",
                "from_recipients": [j for j, _ in points],
                "commitments": [element_hex(group.base_mul(a)) for a in coefficients],
            }
        )
    return out


def build_dkg() -> Json:
    context = dkg_context(DKG_ELECTION, DKG_N, DKG_T)
    tr, secret_shares = dkg.run_ceremony(
        DKG_N,
        DKG_T,
        context,
        rng("dkg"),
        bad_dealers=frozenset({DKG_FAULTY}),
        silent_in_phase2=frozenset({DKG_SILENT}),
    )
    result = dkg.verify_transcript(tr, context)
    judged = _disclosure_judgements(tr, context)
    if not any(c["founded"] for c in judged) or not result.reconstructed:
        raise VectorError("dkg.json must hold a founded complaint and a reconstruction")
    return {
        **header(
            "A t-of-n key ceremony (docs/protocol.md §6) with every exceptional path: dealer "
            f"{DKG_FAULTY} sends a wrong share, its recipient complains (a founded complaint: "
            f"the dealer leaves QUAL), trustee {DKG_SILENT} falls silent in phase 2 (no "
            "extraction), the others disclose their shares of it and its Feldman commitments "
            "are reconstructed: the faults that `saylau simulate --trustees 4 --threshold 2 "
            f"--faulty-trustee {DKG_FAULTY} --silent-trustee {DKG_SILENT}` injects."
        ),
        "election_id": DKG_ELECTION,
        "n": DKG_N,
        "t": DKG_T,
        "faulty_dealer": DKG_FAULTY,
        "silent_trustee": DKG_SILENT,
        "context": items_to_json(context),
        "transcript": dkg_json.transcript_to_json(tr),
        "judgements": judged,
        "qual": list(result.qual),
        "reconstructed": list(result.reconstructed),
        "feldman": _feldman(tr, judged, result),
        "joint_public_key": element_hex(result.joint_public_key),
        "verification_keys": {str(j): element_hex(x) for j, x in result.verification_keys.items()},
        "secret_shares": {str(j): scalar_hex(x) for j, x in sorted(secret_shares.items())},
    }


def _sibling(name: str) -> Any:
    """A builder module next to this file (loaded by path: tests/vectors is no package)."""
    spec = importlib.util.spec_from_file_location(f"saylau_vectors_{name}", HERE / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


booth_vectors = _sibling("booth_vectors")
board_vectors = _sibling("board_vectors")

FILES: dict[str, Callable[[], Json]] = {
    "group.json": build_group,
    "hashing.json": build_hashing,
    "elgamal.json": build_elgamal,
    "proofs.json": build_proofs,
    "signatures.json": build_signatures,
    "ballot.json": build_ballot,
    "dkg.json": build_dkg,
    "ballot_encrypt.json": lambda: booth_vectors.build_ballot_encrypt(header, rng),
    "board.json": lambda: board_vectors.build_board(header, rng),
}


def dumps(obj: Json) -> str:
    """The exact text of a vector file: 2-space indented JSON, UTF-8, trailing newline."""
    return json.dumps(obj, indent=2, ensure_ascii=False) + "\n"


def build_all() -> dict[str, str]:
    """File name -> file text, for every vector file."""
    return {name: dumps(build()) for name, build in FILES.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE, help="directory (default: here)")
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    args = parser.parse_args(argv)
    texts = build_all()
    if args.check:
        stale = [
            n
            for n, t in texts.items()
            if not (args.out / n).is_file() or (args.out / n).read_text(encoding="utf-8") != t
        ]
        for name in stale:
            print(f"{args.out / name} is stale: run python {GENERATOR_NAME}", file=sys.stderr)
        return 1 if stale else 0
    args.out.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (args.out / name).write_text(text, encoding="utf-8", newline="\n")
        print(f"wrote {args.out / name} ({len(text)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
