"""What a page at 360 px must satisfy, measured in the browser: no horizontal overflow, tap
targets of at least 44 × 44 px, aria-describedby naming ids that exist, error boxes clear of
every input, and no CSP violation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

MIN_TARGET = 44
WIDTH = 360

MEASURE = (Path(__file__).parent / "measure.js").read_text(encoding="utf-8")


def audit(page: Any) -> dict[str, Any]:
    """The page's measurements, and the list of what is wrong with it (empty when fine)."""
    page.wait_for_load_state("load")  # a link just clicked may still be navigating
    found = page.evaluate(MEASURE)
    where = page.url
    problems = [f"{where}: {p}" for p in page.problems]
    page.problems.clear()
    if found["scrollWidth"] > WIDTH:
        problems.append(f"{where}: {found['scrollWidth']} px wide at a {WIDTH}-px viewport")
    for t in found["targets"]:
        if t["w"] < MIN_TARGET - 0.5 or t["h"] < MIN_TARGET - 0.5:
            problems.append(f"{where}: tap target {t['w']:.0f}×{t['h']:.0f} px: {t['what']}")
    problems += [f"{where}: aria-describedby to nothing: {d}" for d in found["described"]]
    problems += [f"{where}: error box overlaps an input: {o}" for o in found["overlaps"]]
    problems += [f"{where}: CSP violation: {v}" for v in found["csp"]]
    found["problems"] = problems
    return found
