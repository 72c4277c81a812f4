"""The CLIs speak kk, ru and en: the verifier's failure codes all have translations, and
`--lang` / SAYLAU_LANGUAGE choose the language of `saylau verify` and `saylau simulate`."""

from __future__ import annotations

import ast
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import saylau.protocol
import saylau.record
from saylau.cli.main import app
from saylau.cli.verify import REPORT_SCHEMA, failure_message
from saylau.i18n import LANGUAGES, translation
from saylau.protocol.canonical import canonical_json
from saylau.protocol.failures import ERROR_CODES, MESSAGES, Failure, render
from saylau.simulate.run import SimConfig, run
from tests.protocol import forgery as F

runner = CliRunner()
# The verifier's codes come from the pure protocol and from the record on disk (decision 0025).
PROTOCOL = Path(saylau.protocol.__file__).parent
SOURCES = [PROTOCOL, Path(saylau.record.__file__).parent]
# Where each constructor of a failure takes its code (positional index).
CODE_ARG = {
    "fail": 2,
    "Failure": 2,
    "RuleProblem": 1,
    "CodedError": 0,
    "bad": 0,
    "StrictJsonError": 0,
    "InvalidProtocolCounts": 0,
    "RelationFailure": 0,  # reported as "relation.<code>" (verify_paper.py)
    "SanctionProblem": 0,  # protocol/sanctions.py
    "_problem": 1,  # protocol/sanctions.py: _problem(sanction, code, …)
}


def emitted_codes() -> set[str]:
    """Every code the verifier can put in a failure, read from its source."""
    found: set[str] = set()
    for path in (p for src in SOURCES for p in src.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            if name in CODE_ARG and len(node.args) > CODE_ARG[name]:
                arg = node.args[CODE_ARG[name]]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    prefix = "relation." if name == "RelationFailure" else ""
                    found.add(prefix + arg.value)
            if name == "append" and node.args and isinstance(node.args[0], ast.Tuple):
                # record.file_digest_problems: problems.append((path, code))
                last = node.args[0].elts[-1]
                if isinstance(last, ast.Constant) and str(last.value).startswith("files."):
                    found.add(last.value)
    found |= {code for _cls, code in ERROR_CODES} | {"error.malformed"}
    return found


def test_every_code_the_protocol_emits_has_a_message_and_no_message_is_unused() -> None:
    emitted = emitted_codes()
    assert len(emitted) > 60  # the scan sees the verifier's code
    assert emitted - set(MESSAGES) == set(), "codes without an English template"
    assert set(MESSAGES) - emitted == set(), "templates that no check emits"


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_every_failure_message_is_translated(lang: str) -> None:
    catalogue = translation(lang)
    untranslated = [t for t in MESSAGES.values() if catalogue.gettext(t) == t]
    assert not untranslated, untranslated


@pytest.mark.parametrize("lang", ["kk", "ru"])
@pytest.mark.parametrize("module", ["saylau/cli/vote.py", "saylau/bench/load_*.py"])
def test_saylau_vote_and_bench_load_messages_are_translated(module: str, lang: str) -> None:
    from tests.site.test_i18n import python_strings

    src = PROTOCOL.parent.parent  # src/ (`saylau` is the helper below)
    messages = set().union(*(python_strings(path) for path in sorted(src.glob(module))))
    assert len(messages) > 30, "the scan sees the messages of " + module
    catalogue = translation(lang)
    untranslated = sorted(m for m in messages if catalogue.gettext(m) == m)
    assert not untranslated, untranslated


def test_english_catalogue_has_every_failure_message() -> None:
    catalogue = translation("en")
    assert all(catalogue.gettext(t) == t for t in MESSAGES.values())
    assert catalogue.info().get("language") == "en"


def test_unknown_code_falls_back_to_the_english_message() -> None:
    from saylau.i18n import activate

    activate("ru")
    try:
        known = Failure("tally.count", "d/c/o", "tally.count", {"claimed": 5, "value": 4})
        assert failure_message(known) == "в tally.json указано 5, расшифровка даёт 4"
        assert known.message == "tally.json says 5, decryption gives 4"
        unknown = Failure("future", "x", "future.check", {"detail": "something new"})
        assert failure_message(unknown) == unknown.message == render("future.check", unknown.params)
        broken = Failure("tally.count", "d/c/o", "tally.count", {})  # parameters missing
        assert failure_message(broken) == broken.message
    finally:
        activate("en")


# --- the commands --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("i18n") / "rec"
    run(SimConfig(voters=12, districts=3, out=out, workers=1, seed="cli-i18n"))
    return out


@pytest.fixture
def tampered(good: Path, tmp_path: Path) -> Path:
    """The announced count of one option is off by one."""
    rec = tmp_path / "rec"
    shutil.copytree(good, rec)
    results = json.loads((rec / "results.json").read_text())
    d = next(iter(results["districts"]))
    c = next(iter(results["districts"][d]["contests"]))
    o = next(iter(results["districts"][d]["contests"][c]))
    results["districts"][d]["contests"][c][o] += 1
    (rec / "results.json").write_bytes(canonical_json(results))
    F.reseal(rec)
    return rec


def saylau(*args: str, env: dict[str, str] | None = None) -> tuple[int, str]:
    result = runner.invoke(app, list(args), env=env)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, result.output


@pytest.mark.parametrize(
    ("lang", "verdict", "problem"),
    [
        ("ru", "ПРОВЕРКА НЕ ПРОЙДЕНА", "по протоколу"),
        ("kk", "ТЕКСЕРУДЕН ӨТПЕДІ", "хаттама бойынша"),
        ("en", "FAILED", "the record gives"),
    ],
)
def test_verify_reports_a_tampered_record_in_the_chosen_language(
    tampered: Path, lang: str, verdict: str, problem: str
) -> None:
    code, out = saylau("verify", str(tampered), "--workers", "1", "--lang", lang)
    assert code == 1, out
    assert verdict in out and problem in out, out
    assert "[results]" in out  # the check name stays an identifier


def test_verify_follows_saylau_language(good: Path) -> None:
    code, out = saylau("verify", str(good), "--workers", "1", env={"SAYLAU_LANGUAGE": "ru"})
    assert code == 0, out
    assert "ПРОВЕРЕНО" in out and "Протокол" in out
    code, out = saylau("verify", str(good), "--workers", "1", env={"SAYLAU_LANGUAGE": "xx"})
    assert code == 0 and "ТЕКСЕРІЛДІ" in out  # an unknown language: Kazakh, the default


def test_verify_missing_record_in_russian(tmp_path: Path) -> None:
    code, out = saylau("verify", str(tmp_path / "nothing"), "--lang", "ru")
    assert code == 1
    assert "нет такого файла или каталога" in out


def test_verify_json_report_speaks_the_chosen_language(tampered: Path) -> None:
    reports = {}
    for lang in LANGUAGES:
        code, out = saylau("verify", str(tampered), "--workers", "1", "--json", "--lang", lang)
        assert code == 1
        reports[lang] = json.loads(out)
    plain = [
        {**r, "language": None, "failures": [{**f, "message": None} for f in r["failures"]]}
        for r in reports.values()
    ]
    assert plain[0] == plain[1] == plain[2]  # codes, params and English: the same everywhere
    for lang, report in reports.items():
        assert report["schema"] == REPORT_SCHEMA and report["ok"] is False
        assert report["language"] == lang
        (failure,) = report["failures"]
        assert failure["check"] == "results" and failure["code"] == "results.count"
        english = MESSAGES["results.count"] % failure["params"]
        assert failure["message_en"] == english
        expected = translation(lang).gettext(MESSAGES["results.count"]) % failure["params"]
        assert failure["message"] == expected
        assert (failure["message"] == english) == (lang == "en")


def test_simulate_speaks_russian(tmp_path: Path) -> None:
    out_dir = tmp_path / "rec"
    code, out = saylau(
        "simulate", "--voters", "6", "--workers", "1", "--out", str(out_dir), "--no-zip",
        "--lang", "ru",
    )  # fmt: skip
    assert code == 0, out
    assert "Этапы" in out and "Протокол записан в" in out
    code, out = saylau("simulate", "--threshold", "5", "--lang", "kk")
    assert code == 2 and "--threshold мәні --trustees мәнінен аспауы керек" in out


# --- `saylau demo setup` / `finish` and `saylau election create` ---------------------------

ENGLISH_WORDS = re.compile(r"\b(imported|roll|election|created|trustees|threshold|voting|open|"
                           r"until|credentials|issued|sent|ceremony|done|record|verified|closed|"
                           r"tallied|published|migrating|database)\b")  # fmt: skip


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_demo_setup_and_finish_say_every_line_in_the_chosen_language(
    settings: Any, tmp_path: Path, lang: str
) -> None:
    from django.utils import translation

    from saylau.demo import finish as demo_finish
    from saylau.demo import setup as demo_setup
    from saylau.demo.instructions import instructions
    from saylau.i18n import activate
    from tests.voting.helpers import ensure_districts

    settings.VAR_DIR = tmp_path / "var"
    ensure_districts()
    lines: list[str] = []
    try:
        translation.activate(lang)
        activate(lang)
        info = demo_setup.setup(count=200, say=lines.append, run_migrations=False)
        text = instructions(info, lang=lang)
        assert f"{demo_setup.SLUG} (open)" not in text
        assert {"ru": "(открыт)", "kk": "(ашық)"}[lang] in text
        demo_finish.finish(say=lines.append)
    finally:
        translation.deactivate()
        activate("en")
    assert len(lines) >= 10, lines
    for line in lines:
        words = line.replace(demo_setup.SLUG, "")
        assert not ENGLISH_WORDS.search(words), line
        assert re.search("[а-яәіңғүұқөһ]", words, re.I), line


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_the_manifest_problems_and_demo_lines_are_translated(lang: str) -> None:
    from saylau.protocol.manifest import MESSAGES as MANIFEST
    from tests.site.test_i18n import python_strings

    messages = set(MANIFEST.values())
    for module, least in (
        ("demo/setup.py", 7),
        ("demo/finish.py", 2),
        ("cli/election.py", 8),
        ("cli/roll.py", 8),
    ):
        found = python_strings(PROTOCOL.parent / module)
        assert len(found) >= least, module
        messages |= found
    catalogue = translation(lang)
    untranslated = sorted(m for m in messages if catalogue.gettext(m) == m)
    assert not untranslated, untranslated


@pytest.mark.parametrize(
    ("lang", "words"), [("en", "not applied"), ("ru", "не применены"), ("kk", "қолданылмаған")]
)
def test_organiser_commands_on_an_unmigrated_database_say_so(tmp_path, lang, words):
    """A database nobody migrated: one sentence in the chosen language, exit 2, no traceback."""
    import os
    import subprocess
    import sys

    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'never-migrated.sqlite3'}")
    env["SAYLAU_VAR_DIR"] = str(tmp_path / "var")
    for args in (["election", "list"], ["roll", "counts", "x"]):
        done = subprocess.run(
            [sys.executable, "-m", "saylau.cli.main", *args, "--lang", lang],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 2, done.stderr
        assert words in done.stderr and "saylau manage migrate" in done.stderr, done.stderr
        assert "Traceback" not in done.stderr + done.stdout
