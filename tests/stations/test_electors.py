"""The stations file's optional `voters` column (decision 0048): stored, bad values refused
by line with the rest kept, updated on re-import; and the stations' sizes for the sample
designs (voter list, else declared electors, else unknown)."""

from __future__ import annotations

import pytest
from django.utils import translation
from typer.testing import CliRunner

from saylau.cli.main import app
from saylau.stations import services
from saylau.stations.models import Station
from tests.stations.conftest import csv_bytes, stream, voters_in

pytestmark = pytest.mark.django_db
HEADER = ("code", "number", "district", "address", "voters")
ROWS = [
    ("ALM-1", "1", "KZ-75", "Абай 10", "1 250"),  # 2: good (a space between thousands)
    ("ALM-2", "2", "KZ-75", "Абай 12", "-5"),  # 3: negative
    ("ALM-3", "3", "KZ-75", "Абай 14", "many"),  # 4: not a number
    ("ALM-4", "4", "KZ-75", "Абай 16", "12.5"),  # 5: not whole
    ("ALM-5", "5", "KZ-75", "Абай 18", ""),  # 6: good, not given
    ("AST-1", "6", "KZ-71", "Қабанбай батыр 5", "0"),  # 7: good, none
]


def import_rows(world, rows, header=HEADER):
    return services.import_stations(world.election, stream(csv_bytes(rows, header)))


def declared(world):
    return dict(Station.objects.filter(election=world.election).values_list("code", "voters"))


def test_the_column_is_stored_and_bad_values_are_listed(world, english):
    report = import_rows(world, ROWS)
    reasons = {row.line: row.reason for row in report.rejected}
    assert sorted(reasons) == [3, 4, 5] and report.created == 3
    assert reasons[3] == ("The number of electors must be a whole number from 0 (got “-5”).")
    assert "“many”" in reasons[4] and "“12.5”" in reasons[5]
    assert declared(world) == {"ALM-1": 1250, "ALM-5": None, "AST-1": 0}


def test_a_russian_header_and_reason(world):
    header = ("код", "номер", "округ", "адрес", "Число избирателей")
    with translation.override("ru"):
        report = import_rows(world, [("A-1", "1", "KZ-75", "x", "900"), ROWS[1]], header)
    assert report.rejected[0].reason == (
        "Число избирателей должно быть целым числом от 0 (указано: «-5»)."
    )
    assert declared(world) == {"A-1": 900}


def test_importing_again_updates_the_count_and_a_file_without_it_keeps_it(world):
    import_rows(world, [ROWS[0], ROWS[5]])
    again = import_rows(world, [("ALM-1", "1", "KZ-75", "Абай 10", "1300"), ROWS[5]])
    assert (again.created, again.updated, again.unchanged) == (0, 1, 1)
    assert declared(world) == {"ALM-1": 1300, "AST-1": 0}
    without = import_rows(
        world, [("ALM-1", "1", "KZ-75", "Абай 10")], ("code", "number", "district", "address")
    )
    assert without.unchanged == 1 and declared(world)["ALM-1"] == 1300
    cleared = import_rows(world, [("ALM-1", "1", "KZ-75", "Абай 10", "")])
    assert cleared.updated == 1 and declared(world)["ALM-1"] is None


def test_the_cli_imports_the_column_and_lists_it(world, tmp_path):
    path = tmp_path / "stations.csv"
    path.write_bytes(csv_bytes(ROWS, HEADER))
    runner = CliRunner()
    slug = world.election.slug
    result = runner.invoke(app, ["stations", "import", slug, str(path), "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "rejected: 3" in result.output and "whole number from 0" in result.output
    listing = runner.invoke(app, ["stations", "list", slug, "--lang", "en"])
    assert listing.exit_code == 0 and "Electors" in listing.output and "1250" in listing.output


def test_sizes_come_from_the_list_then_the_declared_count_then_unknown(world):
    import_rows(world, [ROWS[0], ROWS[4], ROWS[5], ("AST-2", "7", "KZ-71", "x", "")])
    almaty = voters_in(world, "KZ-75")
    paper = csv_bytes([(v.iin, "ALM-5") for v in almaty], ("iin", "station"))
    assert services.assign_paper_voters(world.election, stream(paper)).created == len(almaty)
    found = list(Station.objects.filter(election=world.election).order_by("code"))
    sizes = services.station_sizes(world.election, found)
    # ALM-1 declared, ALM-5 its list (no declared count), AST-1 declared 0, AST-2 unknown
    assert sizes.sources == ["declared", "list", "declared", "unknown"]
    assert sizes.known == [1250, len(almaty), 0, None]
    assert sizes.counts() == {"list": 1, "declared": 2, "unknown": 1}
    mean = (1250 + len(almaty) + 0) / 3
    assert sizes.values().tolist() == [1250.0, float(len(almaty)), 0.0, mean]
    with translation.override("en"):
        text = services.describe_sizes(sizes.counts())
    assert text.startswith("Station sizes from: voter lists 1, declared electors 2, unknown 1.")
    assert "mean of the known sizes" in text
