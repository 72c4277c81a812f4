"""axe-core (npm, frontend/node_modules) run in the page: its serious and critical violations.

The script is evaluated through the DevTools protocol, outside the page's CSP, so the page's
own policy stays in force while it is checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).parents[3] / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")

RUN = """async () => {
  const result = await window.axe.run(document, {resultTypes: ['violations']});
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
  }));
}"""


def axe_violations(page: Any) -> list[str]:
    """'<url>: <rule> (<impact>): <help> at <selectors>' for each serious or critical one."""
    if not AXE.exists():
        raise AssertionError(f"{AXE} is missing: `make setup` installs frontend/node_modules")
    page.evaluate(AXE.read_text(encoding="utf-8"))
    found = page.evaluate(RUN)
    return [
        f"{page.url}: {v['id']} ({v['impact']}): {v['help']} at {', '.join(v['nodes'])}"
        for v in found
        if v["impact"] in BLOCKING
    ]
