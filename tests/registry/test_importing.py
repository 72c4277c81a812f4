import datetime as dt

import pytest
from django.db import connection
from django.utils import translation

from saylau.registry import bulk_insert, file_check, importing, services
from saylau.registry import iin as iin_rules
from saylau.registry.models import ImportBatch, Member

pytestmark = pytest.mark.django_db
TODAY = dt.date(2020, 9, 11)


def run(data, **kwargs):
    kwargs.setdefault("today", TODAY)
    return services.import_members(data, source_name="members.csv", **kwargs)


def codes(report):
    return {r.line: sorted(p.code for p in r.problems) for r in report.rejected}


def test_clean_file_goes_in(make_csv, members):
    rows = members(50)
    report = run(make_csv(rows))
    assert (report.total_lines, report.accepted, report.rejected_count) == (50, 50, 0)
    assert report.applied and not report.dry_run
    assert Member.objects.count() == 50
    member = Member.objects.get(iin=rows[0][0])
    assert member.full_name == rows[0][1]
    assert member.phone == rows[0][2]
    assert member.district_id == rows[0][3]
    assert member.join_date.isoformat() == rows[0][4]
    assert member.status == Member.Status.ACTIVE
    batch = ImportBatch.objects.get(pk=report.batch_id)
    assert (batch.total_lines, batch.accepted, batch.rejected) == (50, 50, 0)
    assert len(batch.source_sha256) == 64


def test_each_kind_of_bad_line_is_reported_and_the_rest_imported(make_csv, members):
    rows = members(10)
    bad_check = iin_rules.build(dt.date(1980, 5, 5), "m", 1) or "800505300019"
    rows += [
        [
            bad_check[:11] + str((int(bad_check[11]) + 1) % 10),
            "Бір",
            "+77021112233",
            "KZ-10",
            "2010-01-01",
        ],
        [rows[0][0], "Екі Екеу", "+77021112234", "KZ-10", "2010-01-01"],  # duplicate IIN
        [members(1, seed=99)[0][0], "Үш", rows[1][2], "KZ-10", "2010-01-01"],  # shared phone
        [members(1, seed=98)[0][0], "Төрт", "+77021112235", "KZ-99", "2010-01-01"],
        [members(1, seed=97)[0][0], "Бес", "8 916 123 45 67", "Алматы облысы", "2010-01-01"],
        [members(1, seed=96)[0][0], "Алты", "+77021112236", "KZ-11", "31.02.2010"],
        [members(1, seed=95)[0][0], "", "+77021112237", "KZ-11", "2010-01-01"],
        [members(1, seed=94)[0][0], "R2D2", "+77021112238", "KZ-11", "2030-01-01"],
    ]
    report = run(make_csv(rows))
    found = codes(report)
    # line numbers: header is line 1, rows[i] is line i + 2
    assert found[12] == ["iin.checksum"]
    assert found[2] == ["iin.duplicate"] and found[13] == ["iin.duplicate"]
    assert found[3] == ["phone.shared"] and found[14] == ["phone.shared"]
    assert found[15] == ["district.unknown"]
    assert found[16] == ["phone.country"]
    assert found[17] == ["join_date.invalid"]
    assert found[18] == ["full_name.missing"]
    assert found[19] == ["full_name.invalid", "join_date.future"]
    assert report.accepted == 8  # 10 good lines minus the two that clash with bad ones
    assert Member.objects.count() == 8
    duplicate = next(p for r in report.rejected if r.line == 2 for p in r.problems)
    assert duplicate.other_line == 13
    assert report.counts_by_code["iin.duplicate"] == 2


def test_messages_in_three_languages_never_show_the_number(make_csv, members):
    rows = members(2)
    rows[1][2] = rows[0][2]
    report = run(make_csv(rows), dry_run=True)
    problem = report.rejected[0].problems[0]
    messages = {}
    for language in ("kk", "ru", "en"):
        with translation.override(language):
            messages[language] = problem.message
    assert len(set(messages.values())) == 3
    assert "3" in messages["en"]  # the other line
    for message in messages.values():
        assert rows[0][2] not in message and rows[0][2][2:] not in message


def test_dry_run_changes_nothing(make_csv, members):
    report = run(make_csv(members(20)), dry_run=True)
    assert report.accepted == 20 and not report.applied and report.batch_id is None
    assert Member.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_lines_clashing_with_the_roll_are_rejected(make_csv, members):
    rows = members(5)
    run(make_csv(rows[:3]))
    newcomer = members(1, seed=5)[0]
    newcomer[2] = rows[1][2]  # phone of an active member
    report = run(make_csv([rows[0], rows[3], newcomer]))
    # line 2 is the same person again: both their IIN and phone are taken
    assert codes(report) == {2: ["iin.on_roll", "phone.on_roll"], 4: ["phone.on_roll"]}
    assert report.accepted == 1
    assert Member.objects.count() == 4


def test_phone_of_an_excluded_member_may_be_reused(make_csv, members):
    rows = members(2)
    run(make_csv(rows[:1]))
    first = Member.objects.get()
    services.exclude_member(first.pk, reason="Устав бұзылды", on=dt.date(2020, 1, 1))
    rows[1][2] = rows[0][2]
    report = run(make_csv(rows[1:]))
    assert report.accepted == 1


def test_excluded_members_can_be_imported(make_csv, members):
    rows = members(3)
    header = [
        "iin",
        "full_name",
        "phone",
        "district",
        "join_date",
        "status",
        "excluded_reason",
        "excluded_on",
    ]
    data = make_csv(
        [
            [*rows[0], "excluded", "чистка партийных рядов", "2019-11-01"],
            [*rows[1], "исключен", "", ""],
            [*rows[2], "active", "", "2019-11-01"],
        ],
        header=header,
    )
    report = run(data)
    assert codes(report) == {
        3: ["excluded_on.missing", "excluded_reason.missing"],
        4: ["excluded_on.unexpected"],
    }
    member = Member.objects.get()
    assert member.status == Member.Status.EXCLUDED
    assert member.excluded_on == dt.date(2019, 11, 1)


def test_excluded_lines_do_not_count_for_shared_phones(make_csv, members):
    rows = members(2)
    rows[1][2] = rows[0][2]
    header = [
        *importing.Member._meta.get_field("iin").name.split(),
        "full_name",
        "phone",
        "district",
        "join_date",
        "status",
        "excluded_reason",
        "excluded_on",
    ]
    data = make_csv(
        [[*rows[0], "", "", ""], [*rows[1], "excluded", "x", "2019-01-01"]], header=header
    )
    assert run(data).accepted == 2


def test_an_import_never_half_applies(make_csv, members, monkeypatch):
    rows = members(30)

    def explode(accepted, batch_id, progress):
        Member.objects.create(
            iin=accepted[0].iin,
            full_name="x",
            phone=accepted[0].phone,
            district_id=accepted[0].district,
            join_date=TODAY,
        )
        raise RuntimeError("disk full")

    target = "insert_postgresql" if connection.vendor == "postgresql" else "insert_orm"
    monkeypatch.setattr(bulk_insert, target, explode)
    with pytest.raises(RuntimeError):
        run(make_csv(rows))
    assert Member.objects.count() == 0
    assert ImportBatch.objects.count() == 0


def test_integrity_error_becomes_a_conflict(make_csv, members, monkeypatch):
    rows = members(3)
    run(make_csv(rows[:1]))
    # Pretend the roll check saw nothing, as if another import slipped in between.
    monkeypatch.setattr(importing, "_existing", lambda values, field, **kw: set())
    with pytest.raises(services.ImportConflict):
        run(make_csv(rows))
    assert Member.objects.count() == 1


def test_progress_is_reported(make_csv, members, monkeypatch):
    monkeypatch.setattr(file_check, "PROGRESS_EVERY", 10)
    monkeypatch.setattr(bulk_insert, "SQLITE_BATCH", 10)
    seen = []
    run(make_csv(members(35)), progress=lambda stage, done, total: seen.append((stage, done)))
    assert ("check", 35) in seen
    assert any(stage == "write" for stage, _ in seen)
    assert seen[-1] == ("write", 35)


def test_file_errors_change_nothing(make_csv):
    with pytest.raises(services.ImportFileError):
        run(make_csv([["1", "2"]], header=["iin", "name"]))
    assert ImportBatch.objects.count() == 0


def test_xlsx_import(members, tmp_path):
    from saylau.registry import synth

    path = tmp_path / "m.xlsx"
    synth.write_file(path, 25, seed=4, defects=1)
    report = services.import_members(path.read_bytes(), source_name="m.xlsx", today=TODAY)
    assert (report.accepted, report.rejected_count) == (25, 1)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2020-09-11", dt.date(2020, 9, 11)),
        ("11.09.2020", dt.date(2020, 9, 11)),
        ("1/2/2020", dt.date(2020, 2, 1)),
        ("2020-09-11 00:00:00", dt.date(2020, 9, 11)),
        ("2020-13-01", None),
        ("yesterday", None),
        (dt.date(2020, 1, 1), dt.date(2020, 1, 1)),
    ],
)
def test_parse_date(value, expected):
    assert importing.parse_date(value) == expected


def test_the_registry_modules_stay_small():
    """Modules under 400 lines, functions under 60 (the house rule), so the import stays
    readable as it grows."""
    import ast
    from pathlib import Path

    too_long = []
    for path in sorted(Path(importing.__file__).parent.glob("*.py")):
        text = path.read_text(encoding="utf-8")
        if len(text.splitlines()) > 400:
            too_long.append(f"{path.name}: {len(text.splitlines())} lines")
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                if length > 60:
                    too_long.append(f"{path.name}: {node.name}() {length} lines")
    assert not too_long, too_long
