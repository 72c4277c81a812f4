"""Every `saylau` command starts without loading scipy or matplotlib (a second or more each):
only `analyze`, `pvt` and `exitpoll` load them, when they run."""

import subprocess
import sys


def test_the_cli_does_not_load_scipy_or_matplotlib_at_start():
    code = (
        "import sys, saylau.cli.main; "
        "print(sorted(m for m in ('scipy.stats', 'matplotlib') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
