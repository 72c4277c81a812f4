"""The online signals read from saylau's own tables: a simulated election with a burst from
one network and a re-vote storm is flagged by every online test, a clean one by none; the
report (report.json, HTML, SVG) holds no IIN, phone, member id or network address."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from saylau.analysis import election_report, online_signals
from saylau.analysis.run import Settings
from tests.analysis.online_world import ATTACK_IP, simulated_election

pytestmark = pytest.mark.django_db

FAST = Settings(draws=40, digit_draws=5, boot=40, null_draws=10)


def by_test(results):
    return {r.test: r for r in results}


def test_a_clean_election_is_not_flagged() -> None:
    world = simulated_election("clean-online")
    counts = online_signals.read_counts(world.election)
    assert int(counts.casts.sum()) == int(counts.revotes.sum()) + len(counts.revotes_per_credential)
    found = by_test(online_signals.online_tests(counts))
    assert set(found) == set(online_signals.TESTS)
    assert not [t for t, r in found.items() if r.flagged], {t: r.regions for t, r in found.items()}
    assert found["online_geography"].details["roll_share"]["KZ-75"] == pytest.approx(0.6)


def test_a_burst_from_one_network_and_a_revote_storm_are_flagged() -> None:
    world = simulated_election("attacked-online", attack=True)
    counts = online_signals.read_counts(world.election)
    found = by_test(online_signals.online_tests(counts))
    assert all(r.flagged for r in found.values()), {t: r.flagged for t, r in found.items()}
    attacker = online_signals.network_label(world.election, ATTACK_IP)
    assert [r.region for r in found["online_networks"].regions] == [attacker]
    assert found["online_networks"].regions[0].statistic == 80
    bursts = {r.region for r in found["online_bursts"].regions}
    assert "casts 2026-12-01T08:00Z" in bursts and "sign-ins 2026-12-01T08:00Z" in bursts
    storm = {r.region for r in found["online_revotes"].regions}
    assert storm >= {"2026-12-01T10:00Z", "2026-12-01T10:01Z"}
    geography = {r.region: r for r in found["online_geography"].regions}
    assert geography["KZ-71"].flagged and not geography["KZ-75"].flagged


def test_the_report_holds_no_personal_data_nor_addresses(tmp_path: Path) -> None:
    from saylau.analysis.report_files import write_figures, write_json
    from saylau.i18n import _, activate

    world = simulated_election("private-online", attack=True)
    built = election_report.build(world.election, FAST)
    activate("en")
    write_json(tmp_path, built.report)
    write_figures(tmp_path, built.figures(_), built.report, "en", _)
    text = "\n".join(
        p.read_text(encoding="utf-8")
        for p in tmp_path.iterdir()
        if p.suffix not in {".png", ".pdf"}
    )
    text += (tmp_path / "report.pdf").read_bytes().decode("latin-1")
    assert json.loads((tmp_path / "report.json").read_text())["election"] == "private-online"
    leaks = [
        value
        for value in [*world.iins, *world.phones, *map(str, world.member_ids), *world.addresses]
        if value in text
    ]
    assert not leaks
    assert "net-" in text  # the attacker's network, by its opaque label
    credentials = [f"{i:064x}" for i in range(0, 1500, 7)]
    assert not [c for c in credentials if c in text]


def test_the_report_runs_the_station_tests_per_contest() -> None:
    world = simulated_election("stations-online")
    report = election_report.build(world.election, FAST).report
    station = [t for t in report["tests"] if "contest" in t]
    assert {t["contest"] for t in station} == {"kz-75-seat", "kz-71-seat"}
    assert {t["test"] for t in report["tests"] if "contest" not in t} == set(online_signals.TESTS)
    assert report["schema"] == "saylau-forensics-report/1"
    assert report["skipped_contests"] == []
