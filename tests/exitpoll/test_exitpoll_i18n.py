"""The exit poll's strings are in the one set of catalogues in kk, ru and en (the site's
i18n test scans the app too), and its pages speak the page's language."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

import saylau
from tests.exitpoll.world import PASSWORD, designed
from tests.site.test_i18n import APPS, LANGUAGES, LOCALE, parse_po, python_strings, template_strings

APP = Path(saylau.__file__).parent / "exitpoll"


def app_strings() -> set[str]:
    found: set[str] = set()
    for path in APP.rglob("*.py"):
        if "migrations" not in path.parts:
            found |= python_strings(path)
    for path in APP.rglob("*.html"):
        found |= template_strings(path)
    return found


def test_every_exitpoll_string_is_translated():
    assert "exitpoll" in APPS
    wanted = app_strings()
    assert len(wanted) > 80
    for lang in LANGUAGES:
        entries = parse_po(LOCALE / lang / "LC_MESSAGES" / "django.po")
        missing = [m for m in sorted(wanted) if not entries.get(m, ("", False))[0].strip()]
        assert not missing, f"{lang}: {missing[:5]}"
        if lang != "en":  # really translated, not copied
            same = [m for m in wanted if entries[m][0] == m and any(c.isalpha() for c in m)]
            assert len(same) <= 3, f"{lang}: {same}"


@pytest.mark.parametrize(
    ("lang", "words"),
    [("kk", "Іріктеме"), ("ru", "Выборка"), ("en", "Sample")],
)
def test_the_poll_page_in_each_language(pw, lang, words):
    poll = designed(pw)
    html = Client().get(f"/{lang}/exitpoll/{poll.slug}/").content.decode()
    assert words in html
    client = Client()
    assert client.login(username="pollster", password=PASSWORD)
    assert client.get(f"/{lang}/exitpoll/{poll.slug}/design/").status_code == 200
