"""Translations for the command-line tools, which run without Django settings (the
verifier, the simulator, the benchmarks, the trustees' and the CA's tools): the site's
compiled catalogues (site/locale), read with the standard library's gettext.

    from saylau.i18n import _, activate
    activate("ru"); print(_("Key ceremony"))
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "site" / "locale"
LANGUAGES = ("kk", "ru", "en")

_current: gettext.NullTranslations = gettext.NullTranslations()


def translation(lang: str) -> gettext.NullTranslations:
    return gettext.translation("django", LOCALE_DIR, languages=[lang], fallback=True)


def default_language() -> str:
    lang = os.environ.get("SAYLAU_LANGUAGE", "kk")
    return lang if lang in LANGUAGES else "kk"


def activate(lang: str | None) -> str:
    """Use `lang` (or SAYLAU_LANGUAGE, or Kazakh) for `_`; returns the language chosen."""
    global _current
    chosen = lang if lang in LANGUAGES else default_language()
    _current = translation(chosen)
    return chosen


def _(message: str) -> str:
    return _current.gettext(message)


def gettext_noop(message: str) -> str:
    """Mark a message for the catalogue; translate it later with `translation(lang)`."""
    return message
