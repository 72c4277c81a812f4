import csv

import pytest
from typer.testing import CliRunner

from saylau.cli.roll import app
from saylau.registry.models import Member, RollSnapshot

runner = CliRunner()


def test_generate_csv_and_xlsx(tmp_path):
    out = tmp_path / "members.csv"
    result = runner.invoke(app, ["generate", "--members", "120", "--out", str(out), "--seed", "3"])
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as handle:
        assert len(list(csv.reader(handle))) == 121
    again = tmp_path / "again.csv"
    runner.invoke(app, ["generate", "-n", "120", "-o", str(again), "--seed", "3"])
    assert again.read_bytes() == out.read_bytes()
    xlsx = tmp_path / "members.xlsx"
    assert runner.invoke(app, ["generate", "-n", "10", "-o", str(xlsx)]).exit_code == 0
    assert xlsx.stat().st_size > 0


def test_generate_refuses_other_formats(tmp_path):
    result = runner.invoke(app, ["generate", "-n", "1", "-o", str(tmp_path / "m.txt")])
    assert result.exit_code != 0


def test_generate_says_why_it_cannot_write_in_the_chosen_language(tmp_path):
    out = tmp_path / "missing" / "m.csv"
    result = runner.invoke(app, ["generate", "-n", "1", "-o", str(out), "--lang", "kk"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2 and "файлын жазу мүмкін болмады" in said, result.output
    assert "Errno" not in said
    result = runner.invoke(app, ["generate", "-n", "1", "-o", "m.txt", "--lang", "ru"])
    assert "--out должен оканчиваться на .csv или .xlsx" in " ".join(result.output.split())


@pytest.mark.django_db
def test_import_open_close_counts(tmp_path):
    path = tmp_path / "m.csv"
    runner.invoke(app, ["generate", "-n", "200", "-o", str(path), "--defects", "4"])
    report = tmp_path / "rejected.csv"
    result = runner.invoke(app, ["import", str(path), "--report", str(report), "--lang", "en"])
    assert result.exit_code == 1, result.output  # lines were rejected: not a success
    assert "Lines: 204; imported: 198; rejected: 6" in result.output
    assert "6 lines were rejected and not imported; the other 198 are imported" in result.output
    assert Member.objects.count() == 198  # 4 bad lines, and the 2 good lines they clash with
    with report.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert {r["code"] for r in rows} == {
        "iin.checksum",
        "iin.duplicate",
        "phone.shared",
        "district.unknown",
    }

    assert runner.invoke(app, ["open", "p2020", "--freeze-date", "2020-09-11"]).exit_code == 0
    result = runner.invoke(app, ["counts", "p2020", "--lang", "en"])
    assert result.exit_code == 0 and "198" in result.output
    result = runner.invoke(app, ["close", "p2020", "--lang", "en"])
    assert result.exit_code == 0 and "SHA-256" in result.output
    assert RollSnapshot.objects.get().total == 198
    assert runner.invoke(app, ["close", "p2020"]).exit_code == 2


@pytest.mark.django_db
def test_import_of_a_bad_file_exits_2(tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("a,b\n1,2\n", encoding="utf-8")
    result = runner.invoke(app, ["import", str(path), "--lang", "en"])
    assert result.exit_code == 2
    assert Member.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "verdict"),
    [
        ("ru", "Отклонено строк: 3, они не импортированы; остальные 29 импортированы."),
        ("kk", "3 жол қабылданбады және импортталмады; қалған 29 жол импортталды."),
    ],
)
def test_an_import_with_rejected_lines_exits_1_and_says_so(tmp_path, lang, verdict):
    path = tmp_path / "m.csv"
    assert (
        runner.invoke(app, ["generate", "-n", "30", "-o", str(path), "--defects", "2"]).exit_code
        == 0
    )
    # two bad lines, and the good line that one of them shares its IIN with
    result = runner.invoke(app, ["import", str(path), "--lang", lang])
    assert result.exit_code == 1, result.output
    assert verdict in " ".join(result.output.split()), result.output
    assert Member.objects.count() == 29  # nothing accepted is lost


@pytest.mark.django_db
def test_a_clean_import_and_a_dry_run(tmp_path):
    path = tmp_path / "m.csv"
    runner.invoke(app, ["generate", "-n", "10", "-o", str(path), "--defects", "1"])
    result = runner.invoke(app, ["import", str(path), "--dry-run", "--lang", "en"])
    assert result.exit_code == 1, result.output
    assert "1 lines would be rejected; the other 10 would be imported." in result.output
    assert Member.objects.count() == 0
    good = tmp_path / "good.csv"
    runner.invoke(app, ["generate", "-n", "10", "-o", str(good), "--seed", "5"])
    result = runner.invoke(app, ["import", str(good), "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert Member.objects.count() == 10


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "text"), [("kk", "файлы жоқ"), ("ru", "Нет файла"), ("en", "There is no file")]
)
def test_a_missing_file_is_named_in_the_chosen_language(tmp_path, lang, text):
    result = runner.invoke(app, ["import", str(tmp_path / "none.csv"), "--lang", lang])
    said = " ".join(result.output.split())
    assert result.exit_code == 2
    assert text in said and "none.csv" in said
    assert "No such file" not in said and "does not exist" not in said
    folder = runner.invoke(app, ["import", str(tmp_path), "--lang", "en"])
    assert folder.exit_code == 2 and "is a folder, not a file" in " ".join(folder.output.split())


@pytest.mark.django_db
def test_a_report_that_cannot_be_written_is_said_in_the_chosen_language(tmp_path):
    path = tmp_path / "m.csv"
    runner.invoke(app, ["generate", "-n", "5", "-o", str(path), "--defects", "1"])
    report = tmp_path / "no-such-folder" / "rejected.csv"
    result = runner.invoke(app, ["import", str(path), "--report", str(report), "--lang", "ru"])
    said = " ".join(result.output.split())
    assert result.exit_code == 2, result.output
    assert "Не удалось записать отчёт" in said and "сам импорт выполнен" in said
    assert "Errno" not in said and "Traceback" not in said
    assert Member.objects.count() == 5
