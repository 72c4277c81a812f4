"""The exit poll design's station sizes (decision 0048): the paper voter list, else the
electors the stations file declared, else the mean of the known; a station of 0 or of
unknown size does not break the draw; the design page says where the sizes came from."""

from __future__ import annotations

from collections import Counter

import numpy as np
from django.test import Client
from django.utils import timezone

from saylau.exitpoll import sampling
from saylau.stations.models import Station
from saylau.survey import design as survey_design
from saylau.survey import exitpoll
from tests.exitpoll.world import ASKED, PASSWORD, registered


def expected(stations, sizes, asked):
    """The stations and quotas saylau.survey gives for this frame and these sizes."""
    codes = [s.code for s in stations]
    strata = [s.district for s in stations]
    base = survey_design.planning_from_sd(sampling.PLANNING_SD, strata, sizes)
    plan = exitpoll.planning_for_interviews(base, strata, sizes, asked.quota)
    chosen = survey_design.design_sample(
        dict(Counter(strata)), plan, margin=asked.margin, mean_voters=float(sizes.mean())
    )
    picked = survey_design.draw(codes, strata, chosen.sample, asked.seed)
    quotas = exitpoll.interview_plan(
        sizes[picked] * asked.turnout, asked.quota, asked.response_rate
    )
    return {codes[i]: int(quotas.every[k]) for k, i in enumerate(picked)}


def drawn(poll):
    return dict(poll.sampled.values_list("station__code", "every"))


def test_declared_electors_give_the_quotas(pw):
    frame = sorted(pw.stations, key=lambda s: s.code)
    for k, station in enumerate(frame):
        Station.objects.filter(pk=station.pk).update(voters=600 + 150 * k)
    sizes = np.array([600.0 + 150 * k for k in range(len(frame))])
    poll = registered(pw)
    sampling.design(pw.users["pollster"], poll, ASKED, timezone.now())
    assert drawn(poll) == expected(frame, sizes, ASKED)
    assert min(drawn(poll).values()) > 1  # not "approach every voter"
    assert poll.design["size_sources"] == {"list": 0, "declared": 18, "unknown": 0}


def test_a_station_of_0_and_stations_of_unknown_size_do_not_break_the_draw(pw):
    """KZ-75: one station of 0 electors, the others 1000; KZ-71: nothing known (the mean).
    A margin this tight takes every station, so the station of 0 is drawn."""
    frame = sorted(pw.stations, key=lambda s: s.code)
    zero = next(s for s in frame if s.district == "KZ-75")
    Station.objects.filter(district="KZ-75").update(voters=1000)
    Station.objects.filter(pk=zero.pk).update(voters=0)
    sizes = np.array(
        [0.0 if s.pk == zero.pk else 1000.0 if s.district == "KZ-75" else 900.0 for s in frame]
    )
    asked = sampling.Asked(**{**vars(ASKED), "margin": 0.01})
    poll = registered(pw)
    sampling.design(pw.users["pollster"], poll, asked, timezone.now())
    every = drawn(poll)
    assert every == expected(frame, sizes, asked) and len(every) == len(frame)
    assert every[zero.code] == 1
    # ⌈20 / 0.7⌉ = 29 approaches: 1000 · 0.6 / 29 = 20.7, the mean 900 · 0.6 / 29 = 18.6
    assert (every["KZ-75-002"], every["KZ-71-001"]) == (20, 18)
    assert poll.design["size_sources"] == {"list": 0, "declared": 10, "unknown": 8}


def test_the_design_page_says_where_the_sizes_come_from(pw):
    Station.objects.filter(district="KZ-71").update(voters=1200)
    poll = registered(pw)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username="pollster", password=PASSWORD)
    html = client.get(f"/en/exitpoll/{poll.slug}/design/").content.decode()
    assert "Station sizes from: voter lists 0, declared electors 8, unknown 10." in html
    assert "counts as the mean of the known sizes" in html
    kk = client.get(f"/kk/exitpoll/{poll.slug}/design/").content.decode()
    assert "мәлімделген сайлаушылар санынан — 8, белгісіз — 10." in kk
