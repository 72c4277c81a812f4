"""Every string of the booth — its template, its rules in plain words, and the strings its
script shows — is translated in kk, ru and en; the script uses only strings the page hands it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from saylau.voting import booth_text
from tests.site.test_i18n import LANGUAGES, LOCALE, parse_po, python_strings, template_strings

PACKAGE = Path(booth_text.__file__).parents[1]
FRONTEND = PACKAGE.parents[1] / "frontend" / "src"
TEMPLATES = [PACKAGE / "voting" / "templates" / "voting" / "booth.html"]
SCRIPTS = [FRONTEND / "pages" / "booth.js", *sorted((FRONTEND / "booth").glob("*.js"))]
#: A booth string's key as the script writes it: 'cast.refused', 'ballot.count_full', …
PREFIXES = "|".join(sorted({key.split(".")[0] for key in booth_text.STRINGS}))
KEY = re.compile(r"""['"]((?:""" + PREFIXES + r""")\.[a-z_]+)['"]""")


def booth_msgids() -> set[str]:
    found = python_strings(Path(booth_text.__file__))
    for template in TEMPLATES:
        found |= template_strings(template)
    return found


def untranslated(catalogues: dict[str, dict[str, tuple[str, bool]]], msgids: set[str]) -> list[str]:
    """'<lang>: <msgid>' for each msgid without a translation: missing, empty or fuzzy, or in
    kk or ru the English text itself."""
    problems = []
    for lang in LANGUAGES:
        entries = catalogues.get(lang, {})
        for msgid in sorted(msgids):
            msgstr, fuzzy = entries.get(msgid, ("", False))
            if not msgstr.strip() or fuzzy or (lang != "en" and msgstr == msgid):
                problems.append(f"{lang}: {msgid!r}")
    return problems


@pytest.fixture(scope="module")
def catalogues():
    return {lang: parse_po(LOCALE / lang / "LC_MESSAGES" / "django.po") for lang in LANGUAGES}


def test_every_booth_string_is_translated_in_kk_ru_and_en(catalogues):
    msgids = booth_msgids()
    assert set(booth_text.STRINGS.values()) <= msgids
    assert len(msgids) > 80
    problems = untranslated(catalogues, msgids)
    assert not problems, "the booth's strings lack a translation:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_check_fails_when_a_language_lacks_a_booth_string(catalogues, lang):
    msgid = booth_text.STRINGS["cast.recorded_anyway"]
    broken = {code: dict(entries) for code, entries in catalogues.items()}
    del broken[lang][msgid]
    assert untranslated(broken, booth_msgids()) == [f"{lang}: {msgid!r}"]
    if lang != "en":
        broken[lang][msgid] = (msgid, False)  # the English text copied in is no translation
        assert untranslated(broken, booth_msgids()) == [f"{lang}: {msgid!r}"]


def test_the_script_uses_exactly_the_strings_the_page_hands_it():
    used = set()
    for script in SCRIPTS:
        used |= set(KEY.findall(script.read_text(encoding="utf-8")))
    assert used == set(booth_text.STRINGS), (
        f"unknown: {sorted(used - set(booth_text.STRINGS))}, "
        f"unused: {sorted(set(booth_text.STRINGS) - used)}"
    )
