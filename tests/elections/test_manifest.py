"""Creating an election from a manifest file (YAML or JSON), and bad manifests refused with
a message that says what is wrong."""

from __future__ import annotations

import json

import pytest
import yaml

from saylau.demo import play as demo
from saylau.elections import services
from saylau.elections.errors import InvalidElectionManifest
from saylau.elections.models import AuditEvent, Ceremony, Election, Seat
from saylau.elections.seats import token_hash

pytestmark = pytest.mark.django_db

YAML_MANIFEST = """
election_id: primaries-2026
title: {kk: Праймериз 2026, ru: Праймериз 2026, en: Primaries 2026}
districts:
  - {id: KZ-75, ballot_style: city}
  - {id: KZ-71, ballot_style: city}
ballot_styles:
  - {id: city, contests: [mayor]}
contests:
  - id: mayor
    name: {kk: Әкім, ru: Аким, en: Mayor}
    min_marks: 1
    max_marks: 1
    options:
      - {id: a, name: {kk: Асқар, ru: Аскар, en: Askar}}
      - {id: b, name: {kk: Бота, ru: Бота, en: Bota}}
      - {id: aa, name: {kk: Барлығына қарсы, ru: Против всех, en: Against all}, against_all: true}
"""


def create(data: bytes, name: str, **options):
    return services.create_election_from_file(data, name, actor="test", **options)


def test_yaml_manifest_fills_schema_and_district_names_from_the_registry():
    election = create(YAML_MANIFEST.encode(), "m.yaml", trustees=5, threshold=3)
    assert election.slug == "primaries-2026" and election.status == "draft"
    assert election.manifest["schema"] == "saylau-manifest/1"
    almaty = election.manifest["districts"][0]
    assert almaty["name"] == {"kk": "Алматы қаласы", "ru": "город Алматы", "en": "Almaty"}
    assert election.manifest["contests"][0]["options"][2]["against_all"] is True
    assert (election.trustees, election.threshold) == (5, 3)
    assert Ceremony.objects.get(election=election).phase == "keys"
    assert AuditEvent.objects.get(election=election).action == "election.created"


def test_json_manifest_and_the_tokens_shown_once():
    raw = demo.sample_manifest("json-election", ("KZ-79",))
    election = create(json.dumps(raw).encode(), "m.json", trustees=3, threshold=2)
    assert [d["id"] for d in election.manifest["districts"]] == ["KZ-79"]
    tokens = election.issued_tokens
    assert [(t.role, t.index) for t in tokens] == [
        ("ca", 0),
        ("trustee", 1),
        ("trustee", 2),
        ("trustee", 3),
    ]
    stored = set(Seat.objects.filter(election=election).values_list("token_hash", flat=True))
    assert stored == {token_hash(t.token) for t in tokens}
    assert not any(t.token in stored for t in tokens)  # only hashes are kept


def test_the_same_manifest_as_yaml_and_json_gives_the_same_fingerprint_input():
    a = create(YAML_MANIFEST.encode(), "a.yaml")
    b_raw = yaml.safe_load(YAML_MANIFEST)
    b_raw["election_id"] = "other"
    b = services.create_election(b_raw, actor="test")
    a.manifest["election_id"] = "other"
    assert a.manifest == b.manifest


@pytest.mark.parametrize(
    ("text", "name", "needle"),
    [
        (b"election_id: [unclosed", "m.yaml", "YAML syntax error on line 1"),
        (b'{"election_id": ', "m.json", "JSON syntax error on line 1"),
        (b"- a list\n- not a mapping", "m.yaml", "one mapping"),
        (b"\xff\xfe\x00", "m.yaml", "not UTF-8"),
        (b"x" * (2 * 1024 * 1024 + 1), "m.yaml", "larger than 2 MB"),
    ],
)
def test_unreadable_files(english, text, name, needle):
    with pytest.raises(InvalidElectionManifest) as caught:
        create(text, name)
    assert needle in str(caught.value)
    assert Election.objects.count() == 0


def mutate(change):
    raw = yaml.safe_load(YAML_MANIFEST)
    change(raw)
    return raw


@pytest.mark.parametrize(
    ("change", "needle"),
    [
        (lambda m: m["districts"][0].update(id="KZ-99"), "not registry districts"),
        (lambda m: m["districts"][0].update(id="almaty"), "almaty"),
        (lambda m: m.update(election_id="Primaries_2026"), "lowercase letters"),
        (lambda m: m["contests"][0].update(max_marks=1.5), "whole numbers"),
        (lambda m: m["contests"][0]["options"][1].update(id="a"), "option id a appears twice"),
        (lambda m: m["contests"][0].update(max_marks=4), "max_marks"),
        (lambda m: m["contests"][0]["options"][0].update(against_all=True), "at most one"),
        (lambda m: m["ballot_styles"][0].update(contests=["nope"]), "unknown contest"),
        (lambda m: m.update(schema="saylau-manifest/9"), "manifest.schema"),
        (lambda m: m["title"].pop("kk"), "manifest.title"),
        (lambda m: m.update(extra=None), "manifest.extra"),
        (
            lambda m: m.update(contets=m.pop("contests")),
            "manifest: unknown key contets (did you mean contests?)",
        ),
        (
            lambda m: m["contests"][0]["options"][0].update(nmae="x"),
            "manifest.contests[0].options[0]: unknown key nmae (did you mean name?)",
        ),
        (lambda m: m.update(colour="red"), "manifest: unknown key colour"),
    ],
)
def test_bad_manifests_name_the_problem(english, change, needle):
    with pytest.raises(InvalidElectionManifest) as caught:
        services.create_election(mutate(change), actor="test")
    assert str(caught.value).startswith("The manifest is not valid: ")
    assert needle in str(caught.value)
    assert Election.objects.count() == 0


def test_bad_parameters(english):
    raw = yaml.safe_load(YAML_MANIFEST)
    with pytest.raises(InvalidElectionManifest, match="threshold"):
        services.create_election(raw, actor="test", trustees=2, threshold=3)
    import datetime as dt

    from django.utils import timezone

    now = timezone.now()
    with pytest.raises(InvalidElectionManifest, match="close after it opens"):
        services.create_election(raw, actor="test", opens_at=now, closes_at=now - dt.timedelta(1))
    services.create_election(raw, actor="test")
    with pytest.raises(InvalidElectionManifest, match="already exists"):
        services.create_election(raw, actor="test")


def test_messages_are_translated():
    from django.utils import translation

    with translation.override("ru"), pytest.raises(InvalidElectionManifest) as caught:
        services.create_election(
            mutate(lambda m: m["districts"][0].update(id="KZ-99")), actor="test"
        )
    assert "Манифест" in str(caught.value)


def test_protocol_problems_are_translated():
    from django.utils import translation

    with translation.override("ru"), pytest.raises(InvalidElectionManifest) as caught:
        services.create_election(mutate(lambda m: m.update(contests=[])), actor="test")
    assert str(caught.value) == (
        "Манифест недействителен: manifest.contests: ожидается непустой список"
    )


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_manifest_problem_is_translated(lang):
    from django.utils import translation

    from saylau.protocol.manifest import MESSAGES

    with translation.override(lang):
        untranslated = [t for t in MESSAGES.values() if translation.gettext(t) == t]
    assert not untranslated
