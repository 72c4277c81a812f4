"""The results page, its API and CSV: the estimates are saylau.survey's on the same data
(non-response weighted, analytic and bootstrap intervals), hidden before the polls close from
anyone but the poll's pollsters, and compared with the official protocols once they exist
(within-precinct error as saylau.survey computes it). No interviewer's phone anywhere public."""

from __future__ import annotations

import csv
import io

import numpy as np
import pytest
from django.test import Client
from django.utils import timezone

from saylau.exitpoll import estimates
from saylau.exitpoll.results import results
from saylau.survey import exitpoll, pvt
from saylau.survey.ratio import Strata
from tests.exitpoll.test_entries import send_entries
from tests.exitpoll.world import PASSWORD, designed, official_protocol, synthetic_answers


@pytest.fixture
def polled(pw):
    poll = designed(pw)
    rows = synthetic_answers(poll.sampled.count())
    send_entries(pw, poll, rows.tolist())
    sampled = list(poll.sampled.select_related("station").order_by("stratum", "station__code"))
    return pw, poll, rows, sampled


def expected(poll, rows, sampled):
    """saylau.survey on the same numbers, built here by hand."""
    answers = rows[:, :4].astype(np.float64)
    keep = answers.sum(axis=1) > 0
    every = np.array([s.every for s in sampled], np.float64)
    voters = rows.sum(axis=1) * every
    sizes = {h: v["stations"] for h, v in poll.design["strata"].items()}
    survey_poll = exitpoll.Poll(
        Strata.of([s.stratum for s, k in zip(sampled, keep, strict=True) if k], sizes),
        answers[keep],
        (rows[:, 4] + rows[:, 5]).astype(np.float64)[keep],
        voters[keep],
    )
    return exitpoll.estimate_exitpoll(
        survey_poll, confidence=0.95, bootstrap=1000, rng=np.random.default_rng(poll.pk)
    )


def test_the_estimates_are_saylau_surveys_on_the_same_data(polled):
    pw, poll, rows, sampled = polled
    want = expected(poll, rows, sampled)
    found = results(pw.users["pollster"], poll, timezone.now(), "en")
    assert found.visible and not found.closed and not found.problem
    assert found.stations == want.stations and found.respondents == want.respondents
    assert found.respondents == int(rows[:, :4].sum())
    assert found.refused_to_say == int(rows[:, 4].sum())
    assert found.refusals == int(rows[:, 5].sum()) and found.non_contacts == int(rows[:, 6].sum())
    s = want.shares
    for j, row in enumerate(found.rows):
        assert row.share == pytest.approx(s.estimate[j], abs=1e-12)
        assert row.low == pytest.approx(s.low[j], abs=1e-12)
        assert row.high == pytest.approx(s.high[j], abs=1e-12)
        assert row.boot_low == pytest.approx(s.boot_low[j], abs=1e-12)
        assert row.boot_high == pytest.approx(s.boot_high[j], abs=1e-12)
    assert sum(r.share for r in found.rows) == pytest.approx(1.0)
    assert found.comparison is None  # no official protocol yet


def test_before_the_close_only_the_pollster_sees_the_numbers(polled):
    pw, poll, _rows, _sampled = polled
    url = f"/en/exitpoll/{poll.slug}/"
    public = Client(HTTP_ACCEPT_LANGUAGE="en")
    other = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert other.login(username="other_pollster", password=PASSWORD)
    for client in (public, other):
        html = client.get(url).content.decode()
        assert 'id="embargo"' in html and 'id="estimates"' not in html
        assert client.get(f"/en/exitpoll/{poll.slug}/results.csv").status_code == 403
        api = client.get(f"/api/exitpoll/{pw.election.slug}/polls")
        assert api.status_code == 200
        (listed,) = api.json()
        assert listed["poll"] == poll.slug and not listed["visible"] and listed["options"] == []
    mine = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert mine.login(username="pollster", password=PASSWORD)
    html = mine.get(url).content.decode()
    assert 'id="estimates"' in html and 'id="embargo-note"' in html
    assert len(mine.get(f"/api/exitpoll/{pw.election.slug}/polls").json()[0]["options"]) == 4

    pw.close_polls()
    html = public.get(url).content.decode()
    assert 'id="estimates"' in html and 'id="embargo"' not in html
    (listed,) = public.get(f"/api/exitpoll/{pw.election.slug}/polls").json()
    assert listed["visible"] and len(listed["options"]) == 4
    assert public.get("/api/exitpoll/no-such-election/polls").status_code == 404


def test_the_comparison_with_the_official_protocols(polled):
    pw, poll, rows, sampled = polled
    pw.close_polls()
    rng = np.random.default_rng(5)
    official = {}
    for station in pw.stations:  # every station of the frame has its protocol
        votes = rng.multinomial(300, [0.45, 0.3, 0.15, 0.1]).tolist()
        official_protocol(station, votes)
        official[station.code] = votes
    found = results(anonymous(), poll, timezone.now(), "en")
    assert found.comparison is not None
    # the official shares over the frame, compared as saylau.survey does
    votes = np.array(list(official.values()), np.float64)
    shares = pvt.population_shares(votes, votes.sum(axis=1))
    want = pvt.compare(expected(poll, rows, sampled).shares, shares)
    for row, c in zip(found.rows, want, strict=True):
        assert row.official == pytest.approx(c.official)
        assert row.difference == pytest.approx(c.difference)
    # the within-precinct error of the two leaders (a over b) at the reporting stations
    keep = rows[:, :4].sum(axis=1) > 0
    at = np.array([official[s.station.code] for s in sampled], np.float64)[keep]
    wpe = exitpoll.within_precinct_error(
        rows[keep, :4].astype(np.float64), at, at.sum(axis=1), (0, 1)
    )
    assert found.comparison.pair == (0, 1) and found.pair == ("Aida Candidate", "Bolat Candidate")
    assert found.comparison.wpe.mean == pytest.approx(wpe.mean)
    assert found.comparison.wpe.se == pytest.approx(wpe.se)
    assert [s.wpe for s in found.comparison.per_station] == pytest.approx(list(wpe.per_station))

    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/en/exitpoll/{poll.slug}/")
    html = page.content.decode()
    assert 'id="wpe"' in html and "Aida Candidate over Bolat Candidate" in html
    assert "+7" not in html and "555" not in html  # no interviewer's phone


def anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_the_csv_export_has_every_option_and_the_wpe(polled):
    pw, poll, _rows, sampled = polled
    pw.close_polls()
    for s in sampled:
        official_protocol(s.station, [50, 40, 10, 5])
    answer = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/en/exitpoll/{poll.slug}/results.csv")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("text/csv")
    text = answer.content.decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(text)))
    assert table[0][0] == "Row" and len(table[0]) == 11
    kinds = [r[0] for r in table[1:]]
    assert kinds.count("option") == 4 and kinds.count("wpe_mean") == 1
    assert kinds.count("wpe") == len(estimates.reporting(estimates.tallies(poll)))
    assert "Interviewer" not in text and "555" not in text


def test_too_few_stations_is_said_not_a_500(pw):
    poll = designed(pw)
    send_entries(pw, poll, [[3, 1, 0, 0, 0, 1, 0]])  # one station of one region
    pw.close_polls()
    page = Client(HTTP_ACCEPT_LANGUAGE="ru").get(f"/ru/exitpoll/{poll.slug}/")
    assert page.status_code == 200
    assert 'id="no-estimate"' in page.content.decode()


def test_one_protocol_is_not_yet_a_comparison_but_the_estimates_stay(polled):
    pw, poll, _rows, sampled = polled
    pw.close_polls()
    official_protocol(sampled[0].station, [50, 40, 10, 5])
    found = results(anonymous(), poll, timezone.now(), "kk")
    assert found.comparison is None and len(found.rows) == 4 and not found.problem
    official_protocol(sampled[1].station, [0, 0, 0, 0], invalid=3)  # no valid vote there
    found = results(anonymous(), poll, timezone.now(), "kk")
    assert found.comparison is None and len(found.rows) == 4
