"""CPU seconds used by a process tree (Linux /proc): where a benchmark's cores went."""

from __future__ import annotations

import os
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str] | None:
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rindex(")") + 2 :].split()  # fields from 3 (state) on


def children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def parent(pid: int) -> int | None:
    fields = _stat(pid)
    return int(fields[1]) if fields else None


def tree_seconds(root: int) -> float:
    """CPU seconds of `root`, of its live children, and of the children it has reaped."""
    fields = _stat(root)
    if fields is None:
        return 0.0
    # fields[11..14] are utime, stime, cutime, cstime (stat fields 14–17)
    ticks = sum(int(f) for f in fields[11:15])
    for child in children(root):
        child_fields = _stat(child)
        if child_fields is not None:
            ticks += sum(int(f) for f in child_fields[11:15])
    return ticks / TICK


def self_seconds() -> float:
    times = os.times()
    return times.user + times.system


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy since boot (/proc/stat: user, nice, system,
    irq, softirq, steal — not idle, not I/O wait), summed over its cores. What no process
    is charged for shows here: the kernel's network work in softirq, kernel threads."""
    try:
        fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return float("nan")
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[1:9])
    return (user + nice + system + irq + softirq + steal) / TICK
