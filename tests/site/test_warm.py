"""site/warm.py: a worker builds what Django builds lazily and freezes it before serving."""

from __future__ import annotations

import os
import subprocess
import sys

SCRIPT = """
import gc, sys, django
django.setup()
from saylau.site.warm import warm_and_freeze
assert gc.get_freeze_count() == 0 and "saylau.voting.api" not in sys.modules
warm_and_freeze()
print(gc.get_freeze_count(), "saylau.voting.api" in sys.modules)  # the URL conf's routers
"""


def test_warm_and_freeze_builds_the_urls_and_freezes_what_is_alive():
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="saylau.site.settings")
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
    ).stdout.split()
    frozen, populated = int(out[0]), out[1]
    assert frozen > 50_000  # modules, URL patterns, the API's schemas, catalogues
    assert populated == "True"
