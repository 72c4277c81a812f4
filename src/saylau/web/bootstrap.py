"""Start Django from a command-line tool (``saylau roll …``, ``saylau manage …``)."""

from __future__ import annotations

import os
from pathlib import Path

SETTINGS_MODULE = "saylau.site.settings"


def configure_environment() -> None:
    """Default the settings module and make sure the SQLite directory exists."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", SETTINGS_MODULE)
    if not os.environ.get("DATABASE_URL"):
        var_dir = Path(os.environ.get("SAYLAU_VAR_DIR") or Path.cwd() / "var")
        var_dir.mkdir(parents=True, exist_ok=True)


def setup_django() -> None:
    """``django.setup()`` once, with saylau's settings unless others are configured."""
    from django.apps import apps

    if apps.ready:
        return
    configure_environment()
    import django

    django.setup()
