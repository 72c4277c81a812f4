"""bench/cpu.py: CPU seconds from /proc, of process trees and of the whole machine."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from saylau.bench import cpu

SPIN = "import time\nend = time.process_time() + 0.3\nwhile time.process_time() < end: pass"


def test_a_busy_child_shows_in_the_tree_and_in_the_machine():
    machine, tree = cpu.machine_busy_seconds(), cpu.tree_seconds(os.getpid())
    subprocess.run([sys.executable, "-c", SPIN], check=True)  # reaped: counted as cutime
    assert cpu.tree_seconds(os.getpid()) - tree >= 0.25
    assert cpu.machine_busy_seconds() - machine >= 0.25


def test_an_idle_wait_is_not_busy_time_of_this_process():
    started = cpu.self_seconds()
    time.sleep(0.3)
    assert cpu.self_seconds() - started < 0.1
