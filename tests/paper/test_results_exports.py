"""CSV and JSON exports: results.json is the consolidation document (canonical JSON),
results.csv and protocols.csv parse and match it and the published protocols; the
consolidation's exports wait for the tally."""

from __future__ import annotations

import csv
import io
import json

import pytest

from saylau.paper import counting, results
from saylau.protocol.canonical import canonical_json
from saylau.protocol.paper_protocol import FIELDS
from tests.paper.results_world import results_world

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.paper.results_site_urls")]


@pytest.fixture
def world():
    return results_world()


def rows_of(response) -> list[dict[str, str]]:
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))


def test_results_json_is_the_consolidation_document(client, world):
    response = client.get(f"/en/results/{world.election.slug}/results.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    document = results.final_consolidation(world.election)
    assert response.content == canonical_json(document)
    assert json.loads(response.content)["schema"] == "saylau-consolidation/1"


def test_results_csv_matches_the_consolidation(client, world):
    document = results.final_consolidation(world.election)
    rows = rows_of(client.get(f"/ru/results/{world.election.slug}/results.csv"))
    expected = sum(
        len(c["total"]) for d in document["districts"].values() for c in d["contests"].values()
    )
    assert len(rows) == expected
    for row in rows:
        entry = document["districts"][row["district"]]["contests"][row["contest"]]
        option = row["option"]
        assert int(row["online"]) == entry["online"][option]
        assert int(row["paper"]) == entry["paper"][option]
        assert int(row["total"]) == entry["total"][option]
        assert row["winner"] == str(int(option in entry["winners"]))
        assert row["tie"] == str(int(entry["tie"])) and row["recount"] == str(int(entry["recount"]))
        assert row["margin"] == ("" if entry["margin"] is None else str(entry["margin"]))
    named = {(r["district"], r["option"]): r for r in rows}
    assert named[("KZ-75", "kz-75-seat-1")]["option_name"] == "Кандидат 1"  # the page's language
    assert named[("KZ-75", "kz-75-seat-1")]["district_name"] == "Алматы"


def test_protocols_csv_matches_the_published_protocols(client, world):
    rows = rows_of(client.get(f"/en/results/{world.election.slug}/protocols.csv"))
    published = counting.published_protocols(world.election)
    assert len(rows) == len(published) == 5
    for row, line in zip(rows, published, strict=True):
        assert (row["station"], row["district"], row["contest"]) == (
            line["station"],
            line["district"],
            line["contest"],
        )
        assert int(row["revision"]) == line["revision"] and row["reason"] == line["reason"]
        assert {f: int(row[f]) for f in FIELDS} == line["counts"]
        assert row["scan_sha256"] == line["scan_sha256"]
        prefix = f"votes:{line['contest']}:"
        votes = {k[len(prefix) :]: int(v) for k, v in row.items() if k.startswith(prefix)}
        assert votes == line["options"]
        others = [v for k, v in row.items() if k.startswith("votes:") and not k.startswith(prefix)]
        assert set(others) == {""}


def test_a_reason_that_looks_like_a_formula_is_neutralised(client, world):
    from saylau.paper.models import Protocol

    Protocol.objects.filter(revision=2, status="accepted").update(reason="=HYPERLINK(1)")
    rows = rows_of(client.get(f"/en/results/{world.election.slug}/protocols.csv"))
    assert [r["reason"] for r in rows if r["revision"] == "2"] == ["'=HYPERLINK(1)"]


def test_the_consolidation_exports_wait_for_the_tally(client, english):
    world = results_world(tallied=False)
    slug = world.election.slug
    answer = client.get(f"/en/results/{slug}/results.json")
    assert answer.status_code == 409
    assert answer.json()["error"]["code"] == "paper.results_not_ready"
    page = client.get(f"/en/results/{slug}/results.csv")
    assert page.status_code == 409 and "not counted yet" in page.content.decode()
    assert client.get(f"/en/results/{slug}/protocols.csv").status_code == 200
