"""Registering a poll and drawing its sample: the options, who may, the same seed giving the
same stations (as saylau.survey's draw on the same frame), the design published."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from saylau.exitpoll import polls, sampling
from saylau.exitpoll.errors import ExitPollError, ExitPollForbidden, WrongState
from saylau.exitpoll.models import REFUSED_TO_SAY, Poll
from saylau.survey import design as survey_design
from tests.exitpoll.world import (
    ASKED,
    CONTEST,
    OPTIONS,
    PASSWORD,
    build_poll_world,
    designed,
    registered,
)


def codes(poll: Poll) -> list[str]:
    return sorted(poll.sampled.values_list("station__code", flat=True))


def test_a_registered_poll_has_the_contests_options_and_refused_to_say(pw):
    poll = registered(pw)
    assert poll.pollsters.get() == pw.users["pollster"]
    assert [o.id for o in polls.options(poll, "en")] == list(OPTIONS)
    choices = polls.answer_choices(poll, "ru")
    assert [c.id for c in choices] == [*OPTIONS, REFUSED_TO_SAY]
    assert choices[3].name == "Against all"


def test_only_a_pollster_registers_and_only_an_existing_contest(pw):
    with pytest.raises(ExitPollForbidden):
        polls.register(pw.users["nobody"], pw.election, CONTEST, "x", "y", "z")
    with pytest.raises(ExitPollError) as refused:
        polls.register(pw.users["pollster"], pw.election, "senate", "x", "y", "z")
    assert refused.value.field == "contest"
    assert not Poll.objects.exists()


def test_the_same_seed_draws_the_same_stations_as_the_survey_package(pw):
    poll = designed(pw)
    first = codes(poll)
    design = poll.design
    assert design["sample"] == len(first) >= 4
    assert all(v["sample"] >= 2 for v in design["strata"].values())
    # drawn again from the same seed (no entry yet): the same stations
    sampling.design(pw.users["pollster"], poll, ASKED, timezone.now())
    assert codes(poll) == first
    # anyone with the frame and the seed: saylau.survey's draw picks the same
    frame = sorted(pw.stations, key=lambda s: s.code)
    sample = {h: v["sample"] for h, v in design["strata"].items()}
    picked = survey_design.draw(
        [s.code for s in frame], [s.district for s in frame], sample, ASKED.seed
    )
    assert sorted(frame[i].code for i in picked) == first
    other = sampling.Asked(**{**vars(ASKED), "seed": "another seed"})
    sampling.design(pw.users["pollster"], poll, other, timezone.now())
    assert codes(poll) != first
    assert poll.seed == "another seed"


def test_the_design_is_refused_with_the_reason(pw):
    poll = registered(pw)
    bad = sampling.Asked(margin=0.7, response_rate=0.7, quota=20, seed="s")
    with pytest.raises(ExitPollError) as refused:
        sampling.design(pw.users["pollster"], poll, bad, timezone.now())
    assert "0.5" in str(refused.value)
    with pytest.raises(ExitPollError):
        sampling.design(
            pw.users["pollster"], poll, sampling.Asked(0.1, 0.7, 20, " "), timezone.now()
        )
    with pytest.raises(ExitPollForbidden):
        sampling.design(pw.users["other_pollster"], poll, ASKED, timezone.now())
    assert not poll.sampled.exists()


def test_no_new_draw_once_entries_arrived(pw):
    from tests.exitpoll.test_entries import send_entries

    poll = designed(pw)
    send_entries(pw, poll, per_station=[[1, 0, 0, 0, 0, 0, 0]])
    with pytest.raises(WrongState):
        sampling.design(pw.users["pollster"], poll, ASKED, timezone.now())


def test_the_pages_register_design_and_publish_the_seed_and_the_stations(pw):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    assert client.login(username="pollster", password=PASSWORD)
    answer = client.post(
        "/en/exitpoll/new/",
        {
            "contest": f"{pw.election.slug}|{CONTEST}",
            "name": "Web Poll",
            "organisation": "Qogam",
            "method": "Every 5th voter.",
        },
    )
    assert answer.status_code == 302, answer.content.decode()
    poll = Poll.objects.get()
    form = {"margin": "0.2", "response_rate": "0.7", "quota": "20", "turnout": "0.6", "seed": "s1"}
    answer = client.post(f"/en/exitpoll/{poll.slug}/design/", form)
    assert answer.status_code == 302
    page = Client(HTTP_ACCEPT_LANGUAGE="en").get(f"/en/exitpoll/{poll.slug}/")
    html = page.content.decode()
    assert page.status_code == 200 and "s1" in html and "Every 5th voter." in html
    assert all(code in html for code in codes(poll))
    wrong = client.post(f"/en/exitpoll/{poll.slug}/design/", {**form, "margin": "abc"})
    assert wrong.status_code == 200 and "Enter a number" in wrong.content.decode()


@pytest.mark.parametrize("who", [None, "nobody", "other_pollster"])
def test_pollster_pages_refuse_others_with_403_not_500(pw, who):
    poll = designed(pw)
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    if who:
        assert client.login(username=who, password=PASSWORD)
    for url in (f"/en/exitpoll/{poll.slug}/design/", f"/en/exitpoll/{poll.slug}/interviewers/"):
        answer = client.get(url)
        assert answer.status_code == (302 if who is None else 403), url
    if who == "nobody":
        assert client.get("/en/exitpoll/new/").status_code == 403


def test_the_command_line_draws_the_same_stations_from_the_published_frame(pw, tmp_path):
    """`saylau exitpoll design` on the frame (codes, districts, sizes) with the poll's
    published parameters picks the stations the app picked."""
    import csv

    import yaml
    from typer.testing import CliRunner

    from saylau.cli.main import app

    poll = designed(pw)
    frame = tmp_path / "frame.csv"
    with frame.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["station", "region", "voters"])
        writer.writerows([s.code, s.district, 1] for s in pw.stations)  # no paper voters: 1
    columns = tmp_path / "frame.yaml"
    doc = {"station": "station", "region": "region", "voters_on_list": "voters"}
    columns.write_text(yaml.safe_dump(doc), encoding="utf-8")
    out = tmp_path / "sample.csv"
    args = ["exitpoll", "design", str(frame), "--columns", str(columns), "--out", str(out)]
    args += ["--margin", str(poll.margin), "--seed", poll.seed, "--sd", "0.15", "--json"]
    args += ["--interviews", str(poll.quota), "--response-rate", str(poll.response_rate)]
    args += ["--turnout", str(poll.turnout), "--lang", "en"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    picked = sorted(r["station"] for r in csv.DictReader(out.open(encoding="utf-8-sig")))
    assert picked == codes(poll)


def test_no_poll_takes_the_address_of_a_page(db):
    """An election named like one of the exit poll's pages (`mine`) and a poll whose name
    adds nothing to the slug would shadow /<lang>/exitpoll/mine/; every fixed first path
    segment of exitpoll.urls is reserved."""
    from saylau.exitpoll import urls

    fixed = {
        str(p.pattern).split("/")[0] for p in urls.urlpatterns if "<" not in str(p.pattern)
    } - {""}
    assert fixed <= polls.RESERVED
    world = build_poll_world("mine")
    poll = polls.register(world.users["pollster"], world.election, CONTEST, "!!!", "Org", "Ask")
    assert poll.slug == "mine-poll"
    page = Client()
    page.force_login(world.users["pollster"])
    assert page.get("/en/exitpoll/mine/").status_code == 200  # still the interviewer's page
    assert page.get("/en/exitpoll/mine-poll/").status_code == 200
