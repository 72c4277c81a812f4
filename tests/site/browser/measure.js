() => {
  // Run in the page by audit.py: what a 360-px page is measured for.
  const root = document.documentElement;
  const visible = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden';
  const box = (e) => { const r = e.getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; };
  const label = (e) => e.outerHTML.slice(0, 90);
  const targets = [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea')]
    .filter(visible).map((e) => ({what: label(e), ...box(e)}));
  const described = [...document.querySelectorAll('[aria-describedby]')].flatMap((e) =>
    e.getAttribute('aria-describedby').split(/\s+/).filter((id) => id && !document.getElementById(id))
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
