"""Voter credentials (Belenios-style).

The credential authority (CA), a role separate from the server, makes one secret credential
per eligible voter: a 20-character code in the Bitcoin base58 alphabet, 19 random
characters and one check character, shown as four groups of five. The code derives a
scalar s = hash_to_scalar("saylau-v1/credential", [election_id, code]) and the public
credential is S = s·G. The CA publishes only the public credentials, per district, sorted by
their hex encoding, so the list reveals nothing about who holds which. A ballot is signed with
its credential: the server, which never sees secret codes, cannot add ballots.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass

from saylau.crypto.group import Element, base_mul
from saylau.crypto.hashing import hash_to_scalar
from saylau.crypto.rand import Rng
from saylau.protocol.errors import InvalidCredential

ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
CODE_RANDOM_CHARS = 19
TAG_CREDENTIAL = "saylau-v1/credential"


@dataclass(frozen=True, slots=True)
class SecretCredential:
    code: str  # 20 base58 characters, no separators
    scalar: int
    public: Element

    @property
    def display(self) -> str:
        c = self.code
        return "-".join(c[i : i + 5] for i in range(0, len(c), 5))


def _check_char(body: str) -> str:
    h = hashlib.sha256(("saylau-v1/credential-check" + body).encode()).digest()
    return ALPHABET[int.from_bytes(h[:8], "big") % len(ALPHABET)]


def normalise_code(text: str) -> str:
    """Strip separators and spaces; raise InvalidCredential on a bad code or check character."""
    code = "".join(ch for ch in text if ch not in "- \t")
    if len(code) != CODE_RANDOM_CHARS + 1 or any(ch not in ALPHABET for ch in code):
        raise InvalidCredential("a credential is 20 characters of the base58 alphabet")
    if _check_char(code[:-1]) != code[-1]:
        raise InvalidCredential("the credential's check character is wrong (a typo?)")
    return code


def derive(election_id: str, code_text: str) -> SecretCredential:
    code = normalise_code(code_text)
    s = hash_to_scalar(TAG_CREDENTIAL, [election_id, code])
    return SecretCredential(code, s, base_mul(s))


def generate(election_id: str, rng: Rng) -> SecretCredential:
    raw = rng.bytes(CODE_RANDOM_CHARS * 2)
    body = "".join(ALPHABET[int.from_bytes(raw[2 * i : 2 * i + 2], "big") % 58] for i in range(19))
    return derive(election_id, body + _check_char(body))


@dataclass(frozen=True, slots=True)
class CredentialList:
    """Public credentials per district, as published by the credential authority."""

    districts: dict[str, tuple[Element, ...]]

    def district_of(self) -> dict[Element, str]:
        out: dict[Element, str] = {}
        for d, creds in self.districts.items():
            for c in creds:
                if c in out:
                    raise InvalidCredential(f"credential {c.hex()[:16]}… is listed twice")
                out[c] = d
        return out

    def counts(self) -> dict[str, int]:
        return {d: len(c) for d, c in self.districts.items()}


def check_counts(creds: CredentialList, roll_counts: Mapping[str, int]) -> None:
    """The CA must issue exactly one credential per voter on the closed roll, per district."""
    counts = creds.counts()
    for d, n in roll_counts.items():
        if not isinstance(n, int) or isinstance(n, bool) or n < 0:
            raise InvalidCredential(f"district {d}: the roll count must be a non-negative integer")
    for d in sorted(set(counts) | set(roll_counts)):
        if counts.get(d, 0) != roll_counts.get(d, 0):
            raise InvalidCredential(
                f"district {d}: {counts.get(d, 0)} credentials for "
                f"{roll_counts.get(d, 0)} voters on the roll"
            )
    creds.district_of()


def issue(
    election_id: str, roll_counts: Mapping[str, int], rng: Rng
) -> tuple[dict[str, list[SecretCredential]], CredentialList]:
    """Make the credentials for a closed roll: secrets per district (in roll order) and the
    public list (sorted)."""
    secrets: dict[str, list[SecretCredential]] = {}
    public: dict[str, tuple[Element, ...]] = {}
    for d, n in roll_counts.items():
        secrets[d] = [generate(election_id, rng) for _ in range(n)]
        public[d] = tuple(sorted(c.public for c in secrets[d]))
    return secrets, CredentialList(public)


TAG_LIST_DIGEST = b"saylau-v1/credential-list-digest\n"


def list_digest(lists: dict[str, list[str]]) -> str:
    """SHA-256 over the sorted public credentials (hex) per district, districts sorted."""
    h = hashlib.sha256(TAG_LIST_DIGEST)
    for district in sorted(lists):
        h.update(f"{district}:{len(lists[district])}\n".encode())
        for credential in sorted(lists[district]):
            h.update(f"{credential}\n".encode())
    return h.hexdigest()
