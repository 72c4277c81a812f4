"""`saylau election …`: create from a file, status, advance (with refusals), schedule, tick,
tokens, sums, and the demo commands (labelled as such)."""

from __future__ import annotations

import re

import pytest
import yaml
from typer.testing import CliRunner

from saylau.cli import election as cli
from saylau.demo import play as demo
from saylau.elections import services
from saylau.elections.models import Election, Seat, Status
from saylau.elections.seats import token_hash
from tests.elections.conftest import SLUG, close_roll

pytestmark = pytest.mark.django_db
runner = CliRunner()


def run(*args, code=0):
    result = runner.invoke(cli.app, [*map(str, args), "--lang", "en"])
    assert result.exit_code == code, result.output
    return result.output


@pytest.fixture
def manifest_file(tmp_path):
    path = tmp_path / "manifest.yaml"
    path.write_text(yaml.safe_dump(demo.sample_manifest(SLUG), allow_unicode=True))
    return path


def test_create_prints_the_tokens(manifest_file):
    out = run(
        "create",
        manifest_file,
        "--trustees",
        5,
        "--threshold",
        3,
        "--opens",
        "2030-01-01T08:00",
        "--closes",
        "2030-01-02T20:00",
        "--ip-policy",
        "flag",
        "--trustee-name",
        "Aigerim",
    )
    assert "primaries-2026 created" in out and out.count("sly_") == 6 and "Aigerim" in out
    election = Election.objects.get(slug=SLUG)
    assert (election.trustees, election.threshold, election.ip_policy) == (5, 3, "flag")
    assert election.opens_at.isoformat() == "2030-01-01T03:00:00+00:00"  # Almaty is UTC+5
    run("create", manifest_file, code=2)


def test_bad_options_and_files(tmp_path, manifest_file):
    bad = tmp_path / "bad.json"
    bad.write_text('{"election_id": "x"}')
    assert "The manifest is not valid" in run("create", bad, code=2)
    run("create", manifest_file, "--ip-policy", "loose", code=2)
    run("create", manifest_file, "--opens", "tomorrow", code=2)


def test_lifecycle_from_the_command_line(manifest_file, memory_board):
    run("create", manifest_file)
    assert "no roll for this election" in run("advance", SLUG, code=2)
    close_roll(SLUG, {"KZ-75": 2, "KZ-71": 1})
    assert "is now: roll_closed" in run("advance", SLUG)
    out = run("demo-keys", SLUG)
    assert "DEMO" in out
    assert "is now: keys_ready" in run("advance", SLUG, "--to", "keys_ready")
    assert "DEMO" in run("demo-credentials", SLUG)
    run("advance", SLUG)
    status = run("status", SLUG)
    assert "credentials issued" in status and "Public credentials: 3" in status
    assert "Key ceremony: complete" in status
    assert "primaries-2026" in run("list")
    run("schedule", SLUG, "--opens", "2020-01-01T00:00", "--closes", "2020-01-02T00:00")
    assert "open" not in run("tick")  # the voting period has passed: nothing to open
    run("schedule", SLUG, "--opens", "2020-01-01T00:00", "--closes", "2099-01-02T00:00")
    assert "✓ primaries-2026: open" in run("tick")
    assert Election.objects.get(slug=SLUG).status == Status.OPEN
    # a fresh token and nothing else (a random token may contain any letters, so match its shape)
    assert re.fullmatch(r"sly_[A-Za-z0-9_-]{20,}\n", run("token", SLUG, "--trustee", 2))
    run("token", SLUG, code=2)
    run("schedule", SLUG, "--opens", "2020-01-01T00:00", "--closes", "2020-01-03T00:00")
    out = run("tick")
    assert "close" in out and "sum" in out
    assert "KZ-75" in run("sum", SLUG)
    assert "Decryption shares from trustees: —" in run("status", SLUG)


def test_close_phase_from_the_command_line(manifest_file):
    run("create", manifest_file)
    assert "cannot be skipped" in run("close-phase", SLUG, code=2)
    assert services.get_election(SLUG).status == Status.DRAFT


def said(*args, lang="en", code=0, columns="80"):
    """The output of a command with `--lang`, at a terminal width, whitespace folded."""
    result = runner.invoke(cli.app, [*map(str, args), "--lang", lang], env={"COLUMNS": columns})
    assert result.exit_code == code, result.output
    return result.output


@pytest.mark.parametrize("columns", ["80", "40"])
def test_every_token_prints_whole_at_any_width(manifest_file, columns):
    long_name = "Aigerim Nurlanovna Sultanbekova-Abdrakhmanova"
    out = said("create", manifest_file, "--trustee-name", long_name, columns=columns)
    lines = out.splitlines()
    tokens = [line for line in lines if line.startswith("sly_")]
    assert len(tokens) == 4 and "…" not in out  # 3 trustees and the CA, none cut short
    election = Election.objects.get(slug=SLUG)
    opened = {
        (seat.role, seat.index)
        for token in tokens
        for seat in [Seat.objects.get(election=election, token_hash=token_hash(token))]
    }
    assert opened == {("trustee", 1), ("trustee", 2), ("trustee", 3), ("ca", 0)}
    assert f"Trustee 1 ({long_name}):" in lines
    fresh = said("token", SLUG, "--ca", columns=columns).strip()
    assert Seat.objects.get(election=election, role="ca").token_hash == token_hash(fresh)


def write(tmp_path, text, name="manifest.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_typo_in_a_key_is_named_in_the_chosen_language(tmp_path, manifest_file):
    typo = write(
        tmp_path, manifest_file.read_text(encoding="utf-8").replace("contests:", "contets:", 1)
    )
    assert "contets:" in typo.read_text(encoding="utf-8")
    out = " ".join(said("create", typo, lang="ru", code=2).split())
    assert "Манифест недействителен" in out
    assert "неизвестный ключ contets (может быть, contests?)" in out
    out = " ".join(said("create", typo, lang="kk", code=2).split())
    assert "белгісіз кілт contets (contests деп жазғыңыз келді ме?)" in out
    assert "unknown" not in out and "expected" not in out
    assert "did you mean contests?" in " ".join(said("create", typo, code=2).split())


@pytest.mark.parametrize(
    ("edit", "lang", "wanted"),
    [
        (
            lambda m: m.__setitem__("contests", []),
            "ru",
            "manifest.contests: ожидается непустой список",
        ),
        (
            lambda m: m["contests"][0].__setitem__("max_marks", "two"),
            "kk",
            "manifest.contests[0].max_marks: 0-ден кем емес бүтін сан күтілген",
        ),
        (
            lambda m: m["districts"][0].__setitem__("ballot_style", "nope"),
            "ru",
            "manifest.districts[0].ballot_style: неизвестный вид бюллетеня nope",
        ),
    ],
)
def test_manifest_problems_are_said_in_the_chosen_language(tmp_path, edit, lang, wanted):
    raw = demo.sample_manifest(SLUG)
    edit(raw)
    path = write(tmp_path, yaml.safe_dump(raw, allow_unicode=True))
    out = " ".join(said("create", path, lang=lang, code=2).split())
    assert wanted in out, out
    assert "expected" not in out and "Traceback" not in out


@pytest.mark.parametrize(
    ("lang", "text"), [("kk", "файлы жоқ"), ("ru", "Нет файла"), ("en", "There is no file")]
)
def test_a_missing_manifest_is_said_in_the_chosen_language(tmp_path, lang, text):
    out = " ".join(said("create", tmp_path / "nothing.yaml", lang=lang, code=2).split())
    assert text in out and "nothing.yaml" in out
    assert "does not exist" not in out and "No such file" not in out and "Errno" not in out


def test_bad_options_are_said_in_the_chosen_language(manifest_file):
    out = " ".join(said("create", manifest_file, "--opens", "tomorrow", lang="kk", code=2).split())
    assert "--opens: уақытты 2026-12-01T08:00 түрінде жазыңыз" in out
    out = " ".join(said("create", manifest_file, "--ip-policy", "x", lang="ru", code=2).split())
    assert "--ip-policy должен быть strict, limit или flag" in out
