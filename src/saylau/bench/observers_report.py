"""What `saylau bench observers` prints: the setup, the capacity as a ratio to the rate the
target needs, the latency at that rate against p99 ≤ 1 s, and the stored-once check."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape

from saylau.i18n import _

TARGET_P99 = 1.0


def setup_line(console: Console, cfg: Any, seconds: float) -> None:
    console.print(
        escape(
            _("setup: %(stations)s stations, %(observers)s observers signed in, in %(seconds)s s")
            % {"stations": cfg.stations, "observers": 2 * cfg.stations, "seconds": f"{seconds:.1f}"}
        )
    )


def _latency(console: Console, label: str, latency: Any) -> None:
    console.print(
        escape(
            _("%(label)s: %(count)s reports, p50 %(p50)s ms, p99 %(p99)s ms, max %(max)s ms")
            % {
                "label": label,
                "count": latency.count,
                "p50": f"{latency.p50 * 1e3:.0f}",
                "p99": f"{latency.p99 * 1e3:.0f}",
                "max": f"{latency.max * 1e3:.0f}",
            }
        )
    )


def print_figures(console: Console, cfg: Any, f: dict[str, Any]) -> bool:
    """Print the figures; True when the capacity covers the need, p99 at the needed rate is
    within 1 s, and every accepted report is stored once."""
    ratio = f["capacity"] / f["needed"] if f["needed"] else 0.0
    console.print(
        escape(
            _(
                "capacity: %(capacity)s reports/s (closed loop, %(concurrency)s at a time); "
                "needed: %(needed)s/s (%(stations)s stations × 2 observers × 2 reports an "
                "hour); ratio %(ratio)s×"
            )
            % {
                "capacity": f"{f['capacity']:.1f}",
                "concurrency": cfg.concurrency,
                "needed": f"{f['needed']:.2f}",
                "stations": cfg.stations,
                "ratio": f"{ratio:.1f}",
            }
        )
    )
    _latency(console, _("closed loop"), f["closed"])
    _latency(console, _("at the needed rate"), f["open"])
    stored_once = f["stored"] == f["accepted"] and f["retries_not_200"] == 0
    console.print(
        escape(
            _(
                "stored: %(stored)s rows for %(accepted)s accepted reports; failed: %(failed)s; "
                "retries answered other than 200: %(retries)s"
            )
            % {
                "stored": f["stored"],
                "accepted": f["accepted"],
                "failed": f["failed"],
                "retries": f["retries_not_200"],
            }
        )
    )
    passed = ratio >= 1 and f["open"].p99 <= TARGET_P99 and stored_once and not f["failed"]
    console.print(
        _("target met") if passed else _("target NOT met"), style="green" if passed else "red"
    )
    return passed
