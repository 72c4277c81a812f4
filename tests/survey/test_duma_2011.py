"""The PVT on real data: a stratified sample of the 95,225 stations of the 2011 State Duma
election (../shared/data/ru-precincts/duma-2011.csv.zip), drawn by region, estimating the
parties' shares of the valid votes.

What is compared: the "official" share is Σ votes / Σ valid over every row of the table, the
population value the estimator targets. As a check of the reader, the table's sums agree
with the central commission's published result (ЦИК России, постановление от 9 декабря 2011
№ 70/583-6): United Russia 32,379,135 votes, 49.32 % of the voters who took part.
"""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import numpy as np
import pytest
import yaml

from saylau.paper.column_map import parse_map
from saylau.paper.results_table import read_results
from saylau.survey import design, pvt
from saylau.survey.ratio import Strata

REPO = Path(__file__).parents[2]
EXAMPLE = REPO / "docs" / "examples" / "duma-2011-columns.yaml"
DUMA_2011 = Path(
    os.environ.get("SAYLAU_DUMA_2011", REPO.parent / "shared/data/ru-precincts/duma-2011.csv.zip")
)
UNITED_RUSSIA = 5  # the sixth option of the map


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory):
    if not DUMA_2011.exists():
        pytest.skip(f"{DUMA_2011} is not here")
    folder = tmp_path_factory.mktemp("duma")
    with zipfile.ZipFile(DUMA_2011) as archive:
        archive.extractall(folder)
    doc = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return read_results(folder / "2011.csv", parse_map(doc))  # the example names the region


def test_the_table_is_the_published_result(table):
    assert len(table.stations) == 95_225 and not table.unreadable
    assert len(table.sizes()) == 84
    votes = int(table.options[:, UNITED_RUSSIA].sum())
    assert abs(votes - 32_379_135) < 0.001 * 32_379_135
    share_of_ballots = votes / int(table.lines["ballots_in_boxes"].sum())
    assert share_of_ballots == pytest.approx(0.4932, abs=0.0005)


def test_a_stratified_sample_of_stations_covers_the_official_share(table):
    voters = table.lines["voters_on_list"].astype(np.float64)
    plan = design.planning_from_sd(0.15, table.regions, voters)
    chosen = design.design_sample(
        table.sizes(), plan, margin=0.01, mean_voters=float(voters.mean())
    )
    assert 1_000 <= chosen.n <= 2_000
    rows = np.asarray(design.draw(table.stations, table.regions, chosen.sample, "duma-2011"))
    sample = pvt.PvtSample(
        Strata.of([table.regions[i] for i in rows], table.sizes()),
        table.options[rows].astype(np.float64),
        table.lines["valid"][rows].astype(np.float64),
        voters[rows],
        table.lines["ballots_in_boxes"][rows].astype(np.float64),
    )
    found = pvt.estimate_pvt(sample, bootstrap=1000, rng=np.random.default_rng(2011))
    official = pvt.population_shares(
        table.options.astype(np.float64), table.lines["valid"].astype(np.float64)
    )
    assert official[UNITED_RUSSIA] == pytest.approx(0.5010, abs=0.0001)
    compared = pvt.compare(found.shares, official)
    largest = compared[UNITED_RUSSIA]
    assert largest.inside_analytic and largest.inside_bootstrap, largest
    assert found.shares.high[UNITED_RUSSIA] - found.shares.low[UNITED_RUSSIA] < 0.03
    assert all(abs(c.z) < 3.5 for c in compared), compared
    # United Russia's share varies far more between stations than the 0.15 planned for:
    # the sample misses the ±1 point target for it, and the interval says so.
    assert found.shares.se[UNITED_RUSSIA] * 1.96 > 0.01
