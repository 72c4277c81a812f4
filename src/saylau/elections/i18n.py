"""The trustees' and the CA's tools use the CLIs' translations: see saylau.i18n."""

from saylau.i18n import (
    LANGUAGES,
    LOCALE_DIR,
    _,
    activate,
    default_language,
    gettext_noop,
    translation,
)

__all__ = [
    "LANGUAGES",
    "LOCALE_DIR",
    "_",
    "activate",
    "default_language",
    "gettext_noop",
    "translation",
]
