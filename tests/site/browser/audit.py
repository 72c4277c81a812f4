"""What a page at 360 px must satisfy, measured in the browser: no horizontal overflow, tap
targets of at least 44 × 44 px, aria-describedby naming ids that exist, error boxes clear of
every input, and no CSP violation."""

from __future__ import annotations

from typing import Any

MIN_TARGET = 44
WIDTH = 360

MEASURE = """
() => {
  const root = document.documentElement;
  const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const box = (e) => { const r = e.getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; };
  const label = (e) => e.outerHTML.slice(0, 90);
  const targets = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')]
    .filter(visible).map((e) => ({what: label(e), ...box(e)}));
  const described = [...document.querySelectorAll('[aria-describedby]')].flatMap((e) =>
    e.getAttribute('aria-describedby').split(/\\s+/).filter((id) => id && !document.getElementById(id))
      .map((id) => label(e) + ' → #' + id));
  const inputs = [...document.querySelectorAll('input:not([type=hidden]), select, textarea')].filter(visible);
  const errors = [...document.querySelectorAll('.error')].filter(visible);
  const overlaps = [];
  for (const error of errors) {
    const a = error.getBoundingClientRect();
    for (const input of inputs) {
      const b = input.getBoundingClientRect();
      if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom) {
        overlaps.push(label(error) + ' over ' + label(input));
      }
    }
  }
  return {scrollWidth: root.scrollWidth, targets, described, overlaps, errors: errors.length,
          csp: window.__csp || [], main: (document.querySelector('main') || document.body).innerText};
}
"""


def audit(page: Any) -> dict[str, Any]:
    """The page's measurements, and the list of what is wrong with it (empty when fine)."""
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
