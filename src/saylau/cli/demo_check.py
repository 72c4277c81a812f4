"""``saylau demo check``: the smoke test — serve in the background, sign in and cast over
HTTP with the Python client, finish (paper part included), verify, stop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.markup import escape

from saylau.cli.demo_output import console, fail, print_consolidation, print_failures
from saylau.cli.progress import StageProgress
from saylau.demo.check import cast_one, statistics_problems
from saylau.demo.instructions import HOST, shown
from saylau.demo.server import start_server, stop_server, wait_until_up
from saylau.i18n import _


def run(port: int, slug: str, lang: str) -> None:
    """The smoke test against the demo election `slug` (Django set up, in `lang`)."""
    from saylau.client.http import Connection
    from saylau.demo import finish as demo_finish

    info = open_demo(slug)
    url = f"http://{HOST}:{port}"
    process = start_server(HOST, port, quiet=True)
    http = Connection(url, timeout=30.0)
    try:
        if not wait_until_up(url, process):
            raise fail(_("The site did not start at %(url)s.") % {"url": url}, 1)
        console.print(_("demo check: site up at %(url)s") % {"url": url}, markup=False)
        tracking = _vote_over_http(http, url, lang, info)
        step = escape(_("demo check:"))
        with StageProgress(console) as progress:
            path, report = demo_finish.finish(
                slug,
                say=lambda m: console.print(f"[dim]{step}[/dim] {escape(m)}"),
                progress=progress,
            )
        _published_pages(http, lang, slug, tracking)
        problems = statistics_problems(url, lang, slug)
    finally:
        http.close()
        stop_server(process)
    _check_report(report, path)
    if problems:
        raise fail(_("demo check FAILED: %(problems)s") % {"problems": "; ".join(problems)}, 1)
    console.print(
        _("demo check: the analysis, the PVT, the discrepancies and the exit poll show numbers"),
        markup=False,
    )


def open_demo(slug: str) -> Any:
    """The demo election's description, refused clearly unless it is open with voters."""
    from saylau.demo import setup as demo_setup
    from saylau.errors import UserError

    try:
        info = demo_setup.describe(slug)
    except UserError as error:
        raise fail(f"{error} " + _("Run `saylau demo setup` first.")) from None
    if info.status != "open" or not info.voters:
        raise fail(
            _("The demo election %(slug)s is not open: run `saylau demo setup` first.")
            % {"slug": slug}
        )
    return info


def _vote_over_http(http: Any, url: str, lang: str, info: Any) -> str:
    """The sign-in page, a ballot cast over HTTP, the outbox; returns the tracking code."""
    page = http.request("GET", f"/{lang}/vote/{info.slug}/")
    if page.status_code != 200:
        raise fail(_("the sign-in page answered %(status)s") % {"status": page.status_code}, 1)
    number, tracking = cast_one(url, info)
    console.print(
        _("demo check: voter %(number)s cast a ballot over HTTP; tracking code %(code)s")
        % {"number": number, "code": tracking},
        markup=False,
    )
    outbox_page = http.request("GET", "/dev/outbox")
    outbox_text = outbox_page.content.decode("utf-8", "replace")
    if outbox_page.status_code != 200 or "your sign-in code" not in outbox_text:
        raise fail(_("the development outbox does not show the sign-in code"), 1)
    return tracking


def _published_pages(http: Any, lang: str, slug: str, tracking: str) -> None:
    """The ballot on the board, the record and the consolidated results page answer."""
    found = http.request("GET", f"/api/voting/{slug}/board/ballots/{tracking}")
    record = http.request("GET", f"/api/voting/{slug}/record")
    results = http.request("GET", f"/{lang}/results/{slug}/")
    if {found.status_code, record.status_code, results.status_code} != {200}:
        raise fail(
            _("board look-up: %(board)s, record: %(record)s, results: %(results)s")
            % {
                "board": found.status_code,
                "record": record.status_code,
                "results": results.status_code,
            },
            1,
        )


def _check_report(report: Any, path: Path) -> None:
    """The smoke test's verdict on the verified record: ballots counted, the paper part."""
    counted = sum(r.get("ballots_counted", 0) for r in (report.results or {}).values())
    stations = report.stats.get("paper_stations", 0)
    recounted = report.stats.get("paper_recounted", 0)
    if not report.ok or counted < 1 or stations < 2 or recounted != 1:
        print_failures(report)
        raise fail(
            _(
                "demo check FAILED: ballots counted: %(count)s, paper stations: %(stations)s, "
                "recounts: %(recounts)s"
            )
            % {"count": counted, "stations": stations, "recounts": recounted},
            1,
        )
    print_consolidation(report)
    passed = _(
        "ballots counted: %(count)s; paper stations: %(stations)s (one override, one "
        "recount); the record %(path)s verifies; the server is stopped."
    ) % {"count": counted, "stations": stations, "path": shown(path)}
    console.print(f"[green]{escape(_('demo check passed'))}[/green]: {escape(passed)}")
