"""What the report pages show of a report.json: each test's name, statistic, p-value or
interval, flag, caveat and per-region rows in the page's language (district and contest
names from the manifest), and the figures. The numbers are report.json's own."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from saylau.analysis.plots import title_of
from saylau.analysis.texts import CAVEATS, NAMES, STATISTICS
from saylau.voting.public import in_language


def shown(value: float | None) -> str:
    """A number as the pages and report.html print it (4 significant digits)."""
    if value is None:
        return "–"
    return f"{value:.4g}" if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class RegionRow:
    name: str
    statistic: float
    p_value: float | None
    q_value: float | None
    flagged: bool
    count: int

    @property
    def texts(self) -> tuple[str, str, str]:
        return shown(self.statistic), shown(self.p_value), shown(self.q_value)


@dataclass(frozen=True)
class TestEntry:
    anchor: str
    test: str
    name: str
    contest: str
    measure: str
    statistic: float
    p_value: float | None
    interval: tuple[float, float] | None
    flagged: bool
    caveat: str
    regions: list[RegionRow] = field(default_factory=list)
    flagged_regions: int = 0

    __test__ = False  # not a pytest class

    @property
    def statistic_text(self) -> str:
        return shown(self.statistic)

    @property
    def p_text(self) -> str:
        return shown(self.p_value)

    @property
    def interval_text(self) -> str:
        if self.interval is None:
            return ""
        return f"{shown(self.interval[0])} – {shown(self.interval[1])}"


@dataclass(frozen=True)
class Figure:
    name: str
    title: str

    @property
    def svg(self) -> str:
        return f"{self.name}.svg"

    @property
    def png(self) -> str:
        return f"{self.name}.png"


def _names(manifest: dict[str, Any], key: str, lang: str) -> dict[str, str]:
    return {
        str(item.get("id")): in_language(item.get("name"), lang, str(item.get("id")))
        for item in manifest.get(key, [])
    }


def entries(report: dict[str, Any], manifest: dict[str, Any], lang: str) -> list[TestEntry]:
    """The report's tests as the page shows them, in report order."""
    districts = _names(manifest, "districts", lang)
    contests = _names(manifest, "contests", lang)
    out = []
    for e in report["tests"]:
        test = e["test"]
        contest = e.get("contest") or ""
        regions = [
            RegionRow(
                districts.get(r["region"], r["region"]),
                r["statistic"],
                r.get("p_value"),
                r.get("q_value"),
                r["flagged"],
                r.get("stations", 0),
            )
            for r in e["regions"]
        ]
        out.append(
            TestEntry(
                anchor=f"{contest}.{test}" if contest else test,
                test=test,
                name=_(NAMES[test]),
                contest=contests.get(contest, contest),
                measure=_(STATISTICS[test]),
                statistic=e["statistic"],
                p_value=e.get("p_value"),
                interval=tuple(e["interval"]) if e.get("interval") else None,
                flagged=e["flagged"],
                caveat=_(CAVEATS[test]),
                regions=regions,
                flagged_regions=sum(1 for r in regions if r.flagged),
            )
        )
    return out


def title_for(file: str) -> str:
    """The title msgid of an uploaded figure file (its kind's, else the report's)."""
    from saylau.analysis.plots import TITLES
    from saylau.analysis.report_html import WORDS

    kind = file.removesuffix(".png").rsplit(".", 1)[-1]
    return TITLES.get(kind, WORDS["title"])


def figures(report: dict[str, Any]) -> list[Figure]:
    return [Figure(name, _(title_of(name))) for name in report.get("figures", [])]


def skipped(report: dict[str, Any], manifest: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """Contests with too few stations for the station tests, named in `lang`."""
    contests = _names(manifest, "contests", lang)
    return [
        {**s, "name": contests.get(s["contest"], s["contest"])}
        for s in report.get("skipped_contests", [])
    ]


def online_ballots(
    report: dict[str, Any], manifest: dict[str, Any], lang: str
) -> list[tuple[str, int]]:
    """(district name, online ballots counted) per district of the decrypted tally."""
    districts = _names(manifest, "districts", lang)
    counted = report.get("online", {}).get("ballots_by_district", {})
    return [(districts.get(d, d), n) for d, n in counted.items()]
