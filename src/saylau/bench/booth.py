"""`saylau bench booth`: the booth's encryption in a real browser against the Python core.

Headless Debian chromium (driven by Playwright) loads the built booth worker
(`frontend/src/pages/booth-worker.js`, bundled into the site's static files) on a page served
from 127.0.0.1 under a CSP that allows only the page's own scripts and workers, and times
encrypting and proving a ballot of two contests (12 and 8 options) in the worker; the Python
core encrypts the same ballot in the same run. Every ballot the browser made is verified by
the Python core before a figure is printed, so a fast wrong answer cannot pass.
"""

from __future__ import annotations

import os
import shutil
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

import saylau
from saylau.crypto import group
from saylau.crypto.encoding import element_hex
from saylau.crypto.rand import DeterministicRng, SystemRng
from saylau.i18n import _
from saylau.protocol import credentials as creds
from saylau.protocol.ballot import ElectionContext, ballot_from_json, encrypt_ballot, verify_ballot
from saylau.protocol.manifest import manifest_from_json
from saylau.simulate.manifest_gen import make_manifest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--no-first-run",
]
WORKER = Path(saylau.__file__).parent / "site" / "static" / "saylau_site" / "js" / "booth-worker.js"
TARGET_MS = 300.0
CSP = "default-src 'none'; script-src 'self'; worker-src 'self'; connect-src 'self'"

PAGE = b"""<!doctype html>
<html lang="en"><meta charset="utf-8"><title>saylau bench booth</title>
<script type="module" src="/bench-page.js"></script></html>
"""

#: The page's script: one worker, and window.encryptInWorker(message) -> its answer, the
#: number of progress messages and the round trip measured in the page.
PAGE_SCRIPT = b"""
const worker = new Worker('/booth-worker.js', { type: 'module' });
const pending = new Map();
worker.onmessage = (event) => {
  const m = event.data;
  const job = pending.get(m.id);
  if (m.progress) { job.progress++; return; }
  pending.delete(m.id);
  job.resolve({ answer: m, progress: job.progress, roundTrip: performance.now() - job.t0 });
};
let next = 0;
window.encryptInWorker = (message) => new Promise((resolve) => {
  const id = ++next;
  pending.set(id, { resolve, progress: 0, t0: performance.now() });
  worker.postMessage({ ...message, id });
});
window.benchReady = true;
"""


class BoothBenchError(Exception):
    """The benchmark cannot run (no worker built, no chromium, no Playwright) or the browser's
    ballot is wrong; `code` names it."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code, self.detail = code, detail


@dataclass(frozen=True, slots=True)
class BoothTimes:
    """Milliseconds: the browser worker's own time per ballot (`ms` of its answer) and the
    page's round trip, the first (cold: tables built, code compiled) and the median of the
    rest; the Python core's median for the same ballot; the chromium version."""

    browser_cold: float
    browser_median: float
    browser_min: float
    round_trip_median: float
    python_median: float
    python_min: float
    runs: int
    options: int
    chromium: str

    @property
    def ratio(self) -> float:
        return self.browser_median / self.python_median

    @property
    def met(self) -> bool:
        return self.browser_median <= TARGET_MS


@dataclass(frozen=True, slots=True)
class _Ballot:
    ctx: ElectionContext
    manifest: dict[str, Any]
    district: str
    credential: creds.SecretCredential
    selection: dict[str, list[int]]

    def message(self) -> dict[str, Any]:
        return {
            "op": "encrypt",
            "manifest": self.manifest,
            "jointPublicKey": element_hex(self.ctx.joint_public_key),
            "district": self.district,
            "credentialCode": self.credential.display,
            "selections": self.selection,
        }


def _ballot() -> _Ballot:
    """A district of make_manifest: a vote-for-1 contest of 12 options and an up-to-3 of 8."""
    rng = DeterministicRng("bench-booth")
    manifest = make_manifest("bench-booth", 1)
    ctx = ElectionContext.make(manifest_from_json(manifest), group.base_mul(rng.scalar()))
    district = manifest["districts"][0]["id"]
    mazhilis, maslikhat = ctx.manifest.contests_for(district)
    selection = {
        mazhilis.id: [1 if j == 3 else 0 for j in range(len(mazhilis.options))],
        maslikhat.id: [1 if j in (1, 5) else 0 for j in range(len(maslikhat.options))],
    }
    return _Ballot(ctx, manifest, district, creds.generate("bench-booth", rng), selection)


def _python_ms(b: _Ballot) -> float:
    """One encryption of the ballot by the Python core, in milliseconds."""
    t = time.perf_counter()
    encrypt_ballot(b.ctx, b.district, b.selection, b.credential, SystemRng())
    return (time.perf_counter() - t) * 1e3


@contextmanager
def _loopback_site(worker: bytes) -> Iterator[str]:
    """The page, its script and the worker on 127.0.0.1 (a free port), with the CSP."""
    files = {
        "/": (PAGE, "text/html; charset=utf-8"),
        "/bench-page.js": (PAGE_SCRIPT, "text/javascript"),
        "/booth-worker.js": (worker, "text/javascript"),
    }

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body, kind = files.get(self.path, (b"not found", "text/plain"))
            self.send_response(200 if self.path in files else 404)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Content-Security-Policy", CSP)
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def _check_answer(b: _Ballot, result: dict[str, Any], options: int) -> float:
    """The worker's time, after the Python core has verified its ballot."""
    answer = result["answer"]
    if not answer.get("ok"):
        raise BoothBenchError(
            "bench.browser_refused", f"{answer.get('code')}: {answer.get('detail')}"
        )
    if result["progress"] != options:
        raise BoothBenchError(
            "bench.progress", f"{result['progress']} progress messages, not {options}"
        )
    try:
        ballot = ballot_from_json(answer["ballot"])
        verify_ballot(b.ctx, ballot, {b.credential.public: b.district})
    except Exception as error:
        raise BoothBenchError("bench.ballot_invalid", str(error)) from None
    if ballot.tracking_code != answer["trackingCode"]:
        raise BoothBenchError("bench.ballot_invalid", "the tracking code is not the ballot's")
    return float(answer["ms"])


def _browser_runs(
    b: _Ballot, url: str, runs: int, chromium: str
) -> tuple[list[float], list[float], list[float], str]:
    """(worker ms, round-trip ms, Python ms) of each run, and the browser's version. The Python
    core encrypts right after each browser run, so both meet the same load on the machine."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise BoothBenchError("bench.no_playwright") from None
    options = sum(len(c.options) for c in b.ctx.manifest.contests_for(b.district))
    worker_ms, round_trips, python_ms = [], [], []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.goto(url)
            page.wait_for_function("window.benchReady === true")
            for _run in range(runs):
                result = page.evaluate("(m) => window.encryptInWorker(m)", b.message())
                worker_ms.append(_check_answer(b, result, options))
                round_trips.append(float(result["roundTrip"]))
                python_ms.append(_python_ms(b))
            version = browser.version
        finally:
            browser.close()
    return worker_ms, round_trips, python_ms, version


def measure(repeat: int = 20, chromium: str = CHROMIUM, worker: Path = WORKER) -> BoothTimes:
    """One cold run and `repeat` warm ones, in the browser and in the Python core (the first
    of each left out of the medians)."""
    if not worker.is_file():
        raise BoothBenchError("bench.no_worker", str(worker))
    if shutil.which(chromium) is None:
        raise BoothBenchError("bench.no_chromium", chromium)
    b = _ballot()
    with _loopback_site(worker.read_bytes()) as url:
        worker_ms, round_trips, python_ms, version = _browser_runs(b, url, repeat + 1, chromium)
    warm = worker_ms[1:]
    return BoothTimes(
        browser_cold=worker_ms[0],
        browser_median=statistics.median(warm),
        browser_min=min(warm),
        round_trip_median=statistics.median(round_trips[1:]),
        python_median=statistics.median(python_ms[1:]),
        python_min=min(python_ms[1:]),
        runs=len(warm),
        options=sum(len(c.options) for c in b.ctx.manifest.contests_for(b.district)),
        chromium=version,
    )


def machine() -> str:
    """Cores and load average now (the figures are only as quiet as the machine)."""
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    return _("%(cores)s cores, load average %(load)s") % {"cores": os.cpu_count(), "load": load}


def print_times(console: Console, t: BoothTimes) -> None:
    """The table: the browser's figures, the Python core's, the ratio and the target."""
    console.print(
        _("Chromium %(version)s, headless; %(machine)s")
        % {"version": t.chromium, "machine": machine()},
        markup=False,
    )
    table = Table(title="saylau bench booth")
    for col in (_("operation"), _("measured"), _("target")):
        table.add_column(col, justify="right")
    table.columns[0].justify = "left"
    ms = "{:.1f} ms".format
    runs = {"runs": t.runs, "options": t.options}
    met = "✔" if t.met else "✘"
    table.add_row(
        _(
            "encrypt and prove a ballot of %(options)s options in the browser's worker "
            "(median of %(runs)s)"
        )
        % runs,
        ms(t.browser_median),
        f"≤ {TARGET_MS:.0f} ms {met}",
    )
    table.add_row(_("the fastest of those runs"), ms(t.browser_min), "")
    table.add_row(_("the first run (tables built, code compiled)"), ms(t.browser_cold), "")
    table.add_row(_("the page's round trip to the worker (median)"), ms(t.round_trip_median), "")
    table.add_row(
        _("the Python core, the same ballot (median of %(runs)s)") % runs, ms(t.python_median), ""
    )
    table.add_row(_("the fastest of those runs"), ms(t.python_min), "")
    table.add_row(_("ratio: browser ÷ Python core"), f"{t.ratio:.1f}×", "")
    table.add_row(_("ratio of the fastest runs"), f"{t.browser_min / t.python_min:.1f}×", "")
    console.print(table)
