from __future__ import annotations

import copy
from typing import Any

import pytest

from saylau.crypto import group
from saylau.crypto.rand import DeterministicRng
from saylau.protocol.ballot import ElectionContext
from saylau.protocol.manifest import manifest_from_json
from saylau.simulate.manifest_gen import make_manifest


@pytest.fixture
def manifest_raw() -> dict[str, Any]:
    return copy.deepcopy(make_manifest("test-election", 3))


@pytest.fixture
def rng() -> DeterministicRng:
    return DeterministicRng("protocol-tests")


@pytest.fixture
def secret_key(rng: DeterministicRng) -> int:
    return rng.scalar()


@pytest.fixture
def ctx(manifest_raw: dict[str, Any], secret_key: int) -> ElectionContext:
    return ElectionContext.make(manifest_from_json(manifest_raw), group.base_mul(secret_key))
