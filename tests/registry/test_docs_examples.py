"""docs/examples/members.csv imports cleanly and docs/members-csv.md names every column the
import reads, so the documentation cannot drift from the code."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from saylau.registry import rows, services
from saylau.registry.models import Member

DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.django_db
def test_the_example_members_file_imports_every_line():
    data = (DOCS / "examples" / "members.csv").read_bytes()
    report = services.import_members(data, source_name="members.csv", today=dt.date(2020, 9, 1))
    assert report.rejected == [] and report.accepted == 4, [
        (r.line, [p.code for p in r.problems]) for r in report.rejected
    ]
    assert Member.objects.filter(status=Member.Status.EXCLUDED).count() == 1
    assert set(Member.objects.values_list("district_id", flat=True)) == {
        "KZ-33",
        "KZ-15",
        "KZ-75",
        "KZ-55",
    }


def test_the_doc_names_every_column_and_header_it_lists():
    text = (DOCS / "members-csv.md").read_text(encoding="utf-8")
    for column in rows.COLUMNS:
        assert f"| `{column}` |" in text, column
    table = [line for line in text.splitlines() if line.startswith("| `")]
    for line in table:
        column = line.split("`")[1]
        headers = line.split("|")[3]
        for alias in (part.strip(" `") for part in headers.split(",")):
            assert alias.casefold() in rows._ALIASES[column], (column, alias)
    assert "docs/members-csv.md" in (DOCS.parent / "README.md").read_text(encoding="utf-8")
