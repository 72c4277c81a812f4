"""Observers' copies against the official result: the pure comparison, the official source
(saylau's accepted protocols, or a commission's CSV refused whole when malformed), the HQ's
list with its filters and CSV, and who may see it."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from saylau.observation import discrepancies as d
from saylau.observation import official
from saylau.observation.discrepancy_list import discrepancy_rows, shown
from saylau.observation.errors import OfficialRefused
from saylau.observation.models import OfficialUpload
from tests.observation.tabulate_world import (
    CONTEST,
    MAP_YAML,
    OPTIONS,
    accept,
    accredit,
    csv_bytes,
    good_counts,
    login,
    send_copy,
)

KEYS = [("counts", "valid"), ("counts", "invalid"), ("options", "a"), ("options", "b")]
PAGE = "/en/hq/primaries-test/discrepancies/"


def values(valid=78, invalid=2, a=40, b=38):
    return dict(zip(KEYS, (valid, invalid, a, b), strict=True))


def copy(n, **changes):
    return d.CopyValues(n, f"observer {n}", values(**changes))


def rows(copies, official):
    return d.discrepancies({"c": KEYS}, {"S1": "R1", "S2": "R2"}, copies, official)


# The pure comparison -------------------------------------------------------------------


def test_identical_numbers_are_no_discrepancy():
    (row,) = rows({("S1", "c"): [copy(1), copy(2)]}, {("S1", "c"): values()})
    assert row.kind == d.AGREES and row.lines == () and not row.disagree and row.size == 0


def test_a_changed_line_is_found_with_its_size():
    (row,) = rows({("S1", "c"): [copy(1, a=45)]}, {("S1", "c"): values()})
    assert row.kind == d.DIFFERS and row.region == "R1"
    (line,) = row.lines
    assert line.key == ("options", "a") and line.official == 40 and line.copies == (45,)
    assert line.differences == (5,) and row.size == 5 and row.differing == (("options", "a"),)


def test_two_copies_that_disagree_are_flagged_even_when_one_is_the_official():
    (row,) = rows({("S1", "c"): [copy(1), copy(2, valid=77)]}, {("S1", "c"): values()})
    assert row.disagree and row.kind == d.DIFFERS
    (line,) = row.lines
    assert line.copies == (78, 77) and line.differences == (0, -1)
    (alone,) = rows({("S1", "c"): [copy(1), copy(2, invalid=3)]}, {})
    assert alone.kind == d.NO_OFFICIAL and alone.disagree
    assert alone.lines[0].differences == () and alone.differing == (("counts", "invalid"),)


def test_a_copy_without_official_result_and_the_reverse_are_listed():
    found = rows({("S1", "c"): [copy(1)]}, {("S2", "c"): values()})
    assert [(r.station, r.kind) for r in found] == [("S1", d.NO_OFFICIAL), ("S2", d.NO_COPY)]
    assert found[0].differing == ()  # nothing to complain about yet


def test_the_lines_key_does_not_depend_on_the_order():
    assert d.lines_key([("options", "a"), ("counts", "valid")]) == "counts.valid,options.a"
    assert d.lines_key([("counts", "valid"), ("options", "a")]) == "counts.valid,options.a"


# The official source and the list -----------------------------------------------------


@pytest.fixture
def copies(ow):
    """S-75: copies of ak's obs1 (a slip on candidate 1) and bk's obs_b (right); both
    stations have an accepted protocol; S-71 no copy."""
    accredit(ow, "coord", "obs1", ow.station)
    accredit(ow, "coord_b", "obs_b", ow.station)
    accept(ow.election, ow.station, good_counts())
    other = good_counts()
    contest = "KZ-71-mazhilis"
    other_typed = type(other)(
        other.counts, {f"{contest}-1": 40, f"{contest}-2": 30, f"{contest}-aa": 8}
    )
    accept(ow.election, ow.other, other_typed, contest)
    send_copy(ow, "obs1", ow.station, good_counts(o1=45, o2=25), photo=True)
    send_copy(ow, "obs_b", ow.station, good_counts())
    return ow


def test_the_list_holds_copies_against_saylaus_protocols(copies):
    found = {
        (r.station, r.contest): r for r in discrepancy_rows(copies.users["hq"], copies.election)
    }
    row = found[("S-75", CONTEST)]
    assert row.kind == d.DIFFERS and row.disagree and len(row.copies) == 2
    assert [line.key for line in row.lines] == [("options", OPTIONS[0]), ("options", OPTIONS[1])]
    assert row.lines[0].differences == (5, 0)
    assert found[("S-71", "KZ-71-mazhilis")].kind == d.NO_COPY


def test_a_coordinator_sees_the_copies_of_their_organisation(copies):
    found = {r.station: r for r in discrepancy_rows(copies.users["coord_b"], copies.election)}
    assert found["S-75"].kind == d.AGREES and len(found["S-75"].copies) == 1


def test_a_corrected_copy_replaces_the_observers_slip(copies):
    send_copy(copies, "obs1", copies.station, good_counts())
    found = {r.station: r for r in discrepancy_rows(copies.users["hq"], copies.election)}
    assert found["S-75"].kind == d.AGREES and not found["S-75"].disagree


def test_a_commission_csv_becomes_the_official_result(copies):
    data = csv_bytes({"S-75": good_counts(o1=45, o2=25)})
    stored = official.upload(copies.election, CONTEST, copies.users["hq"], data, MAP_YAML, "x.csv")
    assert stored.stations == 1 and len(stored.sha256) == 64
    found = {r.station: r for r in discrepancy_rows(copies.users["hq"], copies.election)}
    row = found["S-75"]  # now obs_b's copy is the one that differs
    assert row.kind == d.DIFFERS and row.lines[0].differences == (0, -5)
    official.use_protocols(copies.election, copies.users["hq"])
    found = {r.station: r for r in discrepancy_rows(copies.users["hq"], copies.election)}
    assert found["S-75"].lines[0].differences == (5, 0)
    assert OfficialUpload.objects.get().withdrawn_at is not None  # kept


def test_an_upload_is_read_once_when_it_is_stored(copies):
    """The lines are stored with the upload: the pages read them, never the file again (it
    is removed here); an upload stored before that is read on its first view, once."""
    data = csv_bytes({"S-75": good_counts(o1=45, o2=25)})
    stored = official.upload(copies.election, CONTEST, copies.users["hq"], data, MAP_YAML, "x.csv")
    assert stored.parsed["S-75"]["options"][OPTIONS[0]] == 45
    stored.file.delete(save=False)  # a view that read the file again would fail now
    client = login("hq")
    for _view in range(2):
        answer = client.get(PAGE)
        assert answer.status_code == 200 and "S-75" in answer.content.decode()
    row = {r.station: r for r in discrepancy_rows(copies.users["hq"], copies.election)}["S-75"]
    assert row.lines[0].differences == (0, -5)  # the commission's numbers, from the row

    older = official.upload(copies.election, CONTEST, copies.users["hq"], data, MAP_YAML, "y.csv")
    OfficialUpload.objects.filter(pk=older.pk).update(parsed=None)  # as before migration 0006
    assert client.get(PAGE).status_code == 200
    older.refresh_from_db()
    assert older.parsed == stored.parsed  # read on the first view, and kept
    older.file.delete(save=False)
    assert client.get(PAGE).status_code == 200


def test_a_malformed_csv_is_refused_with_its_rows_and_nothing_is_lost(copies, english):
    good = csv_bytes({"S-75": good_counts(o1=45, o2=25)})
    first = official.upload(copies.election, CONTEST, copies.users["hq"], good, MAP_YAML, "a.csv")
    bad = csv_bytes(
        {"S-75": good_counts()},
        extra=[["S-76", "100", "x", *["1"] * 10], ["S-77", "-3", *["1"] * 11], ["S-78", "1"]],
    )
    with pytest.raises(OfficialRefused) as refused:
        official.upload(copies.election, CONTEST, copies.users["hq"], bad, MAP_YAML, "b.csv")
    assert "3 rows" in str(refused.value)
    listed = refused.value.rows
    assert len(listed) == 3 and listed[0].startswith("Row 3:") and "received: x" in listed[0]
    assert "negative" in listed[1] and "cells" in listed[2]
    assert list(OfficialUpload.objects.all()) == [first]
    assert official.current_uploads(copies.election)[CONTEST] == first


@pytest.mark.parametrize(
    ("data", "columns", "expected"),
    [
        (b"", MAP_YAML, "empty"),
        (b"station;voters\nS-75;1\n", MAP_YAML, "not in the CSV header"),
        (csv_bytes({}), "station: [", "not valid YAML"),
        (csv_bytes({}), MAP_YAML.replace("[c1, c2, aa]", "[c1, c2]"), "3 options"),
        (csv_bytes({}), MAP_YAML, "no station"),
        (b"\xff\xfe\x00bad", MAP_YAML, "UTF-8"),
    ],
)
def test_an_unusable_upload_is_refused_with_a_reason(ow, english, data, columns, expected):
    with pytest.raises(OfficialRefused) as refused:
        official.upload(ow.election, CONTEST, ow.users["hq"], data, columns, "r.csv")
    assert expected in str(refused.value)
    assert not OfficialUpload.objects.exists()


def test_the_page_filters_sorts_and_exports(copies):
    client = login("hq")
    page = client.get(PAGE)
    assert page.status_code == 200
    text = page.content.decode()
    assert "S-75" in text and "copies differ from each other" in text
    assert "Open a complaint draft" in text and "S-71" in text
    only = client.get(PAGE + "?region=KZ-71").content.decode()
    assert "S-71" in only and "Observer obs1" not in only
    assert [
        r.station for r in shown(discrepancy_rows(copies.users["hq"], copies.election), sort="size")
    ] == ["S-75", "S-71"]
    exported = client.get("/en/hq/primaries-test/discrepancies.csv?region=KZ-75")
    lines = exported.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Station,Region,Contest,Status,Copies disagree,Line")
    assert (
        "S-75,KZ-75,KZ-75-mazhilis,differs from the official result,yes,Candidate 1,40,45 / 40"
        in exported.content.decode("utf-8-sig")
    )
    assert not any(line.startswith("S-71") for line in lines)
    theirs = login("coord").get("/en/hq/primaries-test/discrepancies.csv").content.decode()
    assert ",Candidate 1,40,45,5\r\n" in theirs  # one copy: the difference as a number


def test_the_upload_form_refuses_a_bad_file_on_the_page(copies):
    client = login("hq")
    bad = csv_bytes({"S-75": good_counts()}, extra=[["S-76", "x", *["1"] * 11]])
    answer = client.post(
        "/en/hq/primaries-test/official/",
        {
            "contest": CONTEST,
            "results": SimpleUploadedFile("r.csv", bad, "text/csv"),
            "columns": SimpleUploadedFile("m.yaml", MAP_YAML.encode(), "text/yaml"),
        },
    )
    assert answer.status_code == 400
    text = answer.content.decode()
    assert "Row 3:" in text and "voters: x is not a number" in text
    good = csv_bytes({"S-75": good_counts()})
    answer = client.post(
        "/en/hq/primaries-test/official/",
        {
            "contest": CONTEST,
            "results": SimpleUploadedFile("r.csv", good, "text/csv"),
            "columns": SimpleUploadedFile("m.yaml", MAP_YAML.encode(), "text/yaml"),
        },
    )
    assert answer.status_code == 302 and OfficialUpload.objects.count() == 1


def test_only_an_hq_account_changes_the_official_source(copies):
    answer = login("coord").post(
        "/en/hq/primaries-test/official/",
        {
            "contest": CONTEST,
            "results": SimpleUploadedFile("r.csv", csv_bytes({"S-75": good_counts()})),
            "columns": SimpleUploadedFile("m.yaml", MAP_YAML.encode()),
        },
    )
    assert answer.status_code == 403 and not OfficialUpload.objects.exists()


@pytest.mark.parametrize("name", ["obs1", "nobody"])
def test_observers_and_others_are_refused(copies, name):
    client = login(name)
    for path in (PAGE, "/en/hq/primaries-test/discrepancies.csv", "/en/hq/primaries-test/pvt/"):
        assert client.get(path).status_code == 403
    answer = client.post("/en/hq/primaries-test/drafts/", {"station": "S-75", "contest": CONTEST})
    assert answer.status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(copies):
    for path in (PAGE, "/en/hq/primaries-test/pvt/"):
        answer = Client().get(path)
        assert answer.status_code == 302 and "/login/" in answer["Location"]
