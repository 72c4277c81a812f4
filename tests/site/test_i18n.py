"""Every user-facing string exists in kk, ru and en, and the compiled catalogues are current."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest

import saylau

PACKAGE = Path(saylau.__file__).parent
LOCALE = PACKAGE / "site" / "locale"
LANGUAGES = ("kk", "ru", "en")
APPS = (
    "site",
    "registry",
    "notify",
    "voting",
    "elections",
    "cli",
    "trustee",
    "ca",
    "demo",
    "client",
    "bench",
    "web",
    "record",
    "board",
    "stations",
    "paper",
    "survey",
    "complaints",
    "observation",
    "exitpoll",
    "analysis",
)
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop", "pgettext", "pgettext_lazy"}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%\(\w+\)\.\d+f|\{\w+\}")


def parse_po(path: Path) -> dict[str, tuple[str, bool]]:
    """msgid → (msgstr, fuzzy) for a simple catalogue (no plurals, no contexts)."""
    entries: dict[str, tuple[str, bool]] = {}
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in block.splitlines())
        parts: dict[str, list[str]] = {"msgid": [], "msgstr": []}
        current = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            for key in ("msgid", "msgstr"):
                if line.startswith(key + " "):
                    current = key
                    line = line[len(key) + 1 :]
            assert not line.startswith("msgid_plural"), "plural forms need a richer parser"
            if current and line.startswith('"'):
                parts[current].append(ast.literal_eval(line))
        msgid = "".join(parts["msgid"])
        if msgid:
            entries[msgid] = ("".join(parts["msgstr"]), fuzzy)
    return entries


@pytest.fixture(scope="module")
def catalogues():
    return {lang: parse_po(LOCALE / lang / "LC_MESSAGES" / "django.po") for lang in LANGUAGES}


def test_every_msgid_is_translated_in_every_language(catalogues):
    all_ids = set().union(*catalogues.values())
    problems = []
    for lang, entries in catalogues.items():
        for msgid in sorted(all_ids):
            msgstr, fuzzy = entries.get(msgid, ("", False))
            if not msgstr.strip() or fuzzy:
                problems.append(f"{lang}: {msgid!r}")
    assert not problems, "untranslated:\n" + "\n".join(problems)


def test_placeholders_survive_translation(catalogues):
    problems = []
    for lang, entries in catalogues.items():
        for msgid, (msgstr, _fuzzy) in entries.items():
            if sorted(PLACEHOLDER.findall(msgid)) != sorted(PLACEHOLDER.findall(msgstr)):
                problems.append(f"{lang}: {msgid!r} → {msgstr!r}")
    assert not problems, "\n".join(problems)


def test_compiled_catalogues_match_the_sources(catalogues):
    for lang, entries in catalogues.items():
        with (LOCALE / lang / "LC_MESSAGES" / "django.mo").open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        stale = [
            msgid for msgid, (msgstr, _f) in entries.items() if compiled.gettext(msgid) != msgstr
        ]
        assert not stale, f"{lang}: django.mo is stale; run compilemessages ({stale[:3]})"


def python_strings(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and node.args:
            name = getattr(node.func, "id", getattr(node.func, "attr", None))
            first = node.args[-1] if name in {"pgettext", "pgettext_lazy"} else node.args[0]
            if name in GETTEXT_NAMES and isinstance(first, ast.Constant):
                if isinstance(first.value, str):
                    found.add(first.value)
    return found


_TRANSLATE = re.compile(r"""\{%\s*(?:translate|trans)\s+(["'])(.*?)\1""")
_BLOCK = re.compile(
    r"\{%\s*blocktrans(?:late)?\b[^%]*%\}(.*?)\{%\s*endblocktrans(?:late)?\s*%\}", re.S
)
_VAR = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def template_strings(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    found = {match.group(2) for match in _TRANSLATE.finditer(text)}
    found |= {_VAR.sub(r"%(\1)s", match.group(1)) for match in _BLOCK.finditer(text)}
    return found


def scanned_python_files() -> list[Path]:
    return [
        path
        for app in APPS
        for path in sorted((PACKAGE / app).rglob("*.py"))
        if "migrations" not in path.parts
    ]


# The command-line tools whose messages must be in the catalogue too (they run without Django,
# through saylau.i18n): a change to APPS must not drop them from the scan.
CLI_SOURCES = (
    "bench/crypto_run.py",
    "bench/load_report.py",
    "cli/demo.py",
    "cli/simulate.py",
    "cli/verify.py",
    "cli/vote.py",
    "cli/trustee.py",
    "cli/ca.py",
    "cli/election.py",
    "cli/roll.py",
    "trustee/decryption.py",
    "demo/setup.py",
    "cli/stations.py",
    "cli/paper.py",
    "paper/csv_check.py",
    "cli/pvt_report.py",
)


@pytest.mark.parametrize("relative", CLI_SOURCES)
def test_the_command_line_tools_are_scanned(relative):
    path = PACKAGE / relative
    assert path in scanned_python_files()
    assert len(python_strings(path)) >= 5, f"{relative}: its messages do not go through _()"


def test_every_string_in_the_source_is_in_the_catalogue(catalogues):
    wanted: set[str] = set()
    for path in scanned_python_files():
        wanted |= python_strings(path)
    for app in APPS:
        for path in (PACKAGE / app).rglob("*.html"):
            wanted |= template_strings(path)
    # The verifier's failure messages: English templates in protocol/, translated by the CLI.
    from saylau.protocol.failures import MESSAGES
    from saylau.protocol.paper_protocol import COUNT_MESSAGES, RELATIONS

    wanted |= set(MESSAGES.values()) | set(RELATIONS.values()) | set(COUNT_MESSAGES.values())
    from saylau.survey.errors import MESSAGES as SURVEY_MESSAGES

    wanted |= set(SURVEY_MESSAGES.values())
    assert len(wanted) > 100
    missing = sorted(wanted - set(catalogues["kk"]))
    assert not missing, "run makemessages; not in the catalogue:\n" + "\n".join(missing)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_django_uses_the_catalogue(lang):
    from django.utils import translation

    with translation.override(lang):
        text = translation.gettext("The IIN's check digit is wrong: there is a typo in the number.")
    expected = {"kk": "ЖСН", "ru": "ИИН", "en": "IIN"}[lang]
    assert expected in text
