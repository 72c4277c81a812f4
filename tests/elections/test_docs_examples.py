"""docs/examples/manifest.yaml creates an election, and docs/manifest.md describes every key
the manifest defines, so the documentation cannot drift from the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from saylau.elections import services
from saylau.protocol.manifest import KEYS, manifest_from_json

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.django_db
def test_the_example_manifest_creates_an_election():
    path = DOCS / "examples" / "manifest.yaml"
    election = services.create_election_from_file(path.read_bytes(), path.name, actor="test")
    assert election.slug == "primaries-2026"
    contests = manifest_from_json(election.manifest).contests_for("KZ-75")
    assert [(c.id, c.min_marks, c.max_marks) for c in contests] == [
        ("mazhilis-almaty", 1, 1),
        ("maslikhat", 0, 2),
    ]
    assert election.manifest["districts"][0]["name"]["en"] == "Almaty"  # from the registry


def test_the_doc_describes_every_key():
    text = (DOCS / "manifest.md").read_text(encoding="utf-8")
    for key in set().union(*KEYS.values()):
        assert f"`{key}`" in text, key
    assert "docs/manifest.md" in (DOCS.parent / "README.md").read_text(encoding="utf-8")
