"""Who voted on paper: each IIN of the upload is checked against the roll and the station's
paper list, marked once by a paper_override leaf, and its online ballot leaves the tally."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from saylau.board import services as board
from saylau.board.models import Leaf, LeafKind
from saylau.elections.models import AuditEvent
from saylau.paper import services
from saylau.paper.entry_errors import PaperForbidden, VotedRefused
from saylau.protocol.canonical import strict_loads
from saylau.stations.services import assign_paper_station
from saylau.voting import services as voting
from tests.paper.entry_world import PASSWORD, ew
from tests.voting.helpers import Api

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
__all__ = ["ew"]


@pytest.fixture(autouse=True)
def inline_sms(settings):
    settings.SAYLAU_OTP_SMS_MODE = "inline"


def voters(ew, district):
    return [v for v in ew.world.voters if v.district == district]


def overrides(ew):
    leaves = Leaf.objects.filter(election=ew.election, kind=LeafKind.PAPER_OVERRIDE)
    return [strict_loads(bytes(leaf.data)) for leaf in leaves.order_by("index")]


def upload(ew, text, user="op1"):
    return services.mark_voted(ew.election, ew.station, ew.users[user], text.encode())


def test_a_paper_vote_overrides_the_online_ballot(ew, client):
    on_list, online = voters(ew, "KZ-75")[:2]
    api = Api(client, ew.election.slug)
    api.cast(ew.world.ballot(online), api.sign_in(online))
    assert [b for b in voting.counted_ballots(ew.election)]  # the online ballot counts
    assign_paper_station(ew.election, online.member_id, "S-75")  # then joins the paper list
    report = upload(ew, f"{on_list.iin}\n{online.iin}\n")
    assert (report.marked, report.already, report.refused) == (2, 0, [])
    events = overrides(ew)
    assert [(e["credential"], e["precinct"]) for e in events] == [
        (on_list.credential, "S-75"),
        (online.credential, "S-75"),
    ]
    assert list(voting.counted_ballots(ew.election)) == []  # the online ballot left the tally


def test_marking_again_is_a_no_op(ew):
    voter = voters(ew, "KZ-75")[0]
    assert upload(ew, voter.iin).marked == 1
    again = upload(ew, f"iin\n{voter.iin}\n")
    assert (again.marked, again.already) == (0, 1)
    assert len(overrides(ew)) == 1


def test_refused_lines_are_listed_and_the_others_marked(ew, members):
    on_list = voters(ew, "KZ-75")[0]
    not_listed = voters(ew, "KZ-75")[1]
    elsewhere = voters(ew, "KZ-71")[0]  # on S-71's list
    stranger = members(1, seed=99)[0][0]  # a valid IIN that is not on the roll
    text = "\n".join(
        [
            "IIN;name",
            f"{on_list.iin};A",
            "12345",
            f"{elsewhere.iin};B",
            "",
            f"{not_listed.iin};C",
            f'"{stranger}";D',
            f"{on_list.iin};again",
        ]
    )
    report = upload(ew, text)
    assert report.marked == 1 and report.already == 0
    assert [(r.line, r.reason) for r in report.refused] == [
        (3, "This is not a valid IIN."),
        (4, "This member is on the list of another paper station."),
        (6, "This member is not on the list of any paper station."),
        (7, "No member on this election's roll has this IIN."),
        (8, "The same IIN is on line 2."),
    ]
    details = [str(e.details) for e in AuditEvent.objects.filter(action="paper.voted_uploaded")]
    assert details and not any(v.iin in d for d in details for v in ew.world.voters)
    assert "'refused': 5" in details[0] and "'marked': 1" in details[0]


def test_after_the_board_closes_a_clear_refusal(ew):
    board.close_board(ew.election)
    with pytest.raises(VotedRefused) as refused:
        upload(ew, voters(ew, "KZ-75")[0].iin)
    assert "closed" in str(refused.value)
    assert overrides(ew) == []


def test_only_the_stations_commission_marks(ew):
    voter = voters(ew, "KZ-75")[0]
    for user in ("far", "sup", "nobody", "aud"):
        with pytest.raises(PaperForbidden):
            upload(ew, voter.iin, user=user)
    assert upload(ew, voter.iin, user="org").marked == 1


def test_not_utf8_is_refused(ew):
    with pytest.raises(VotedRefused):
        services.mark_voted(ew.election, ew.station, ew.users["op1"], "ИИН".encode("cp1251"))


def test_the_upload_page_lists_refused_lines(ew):
    client = Client()
    client.login(username="op1", password=PASSWORD)
    voter = voters(ew, "KZ-75")[0]
    data = f"{voter.iin}\nnot-an-iin\n".encode()
    url = "/ru/paper/primaries-test/S-75/voted/"
    response = client.post(url, {"voted": SimpleUploadedFile("voted.csv", data)})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Отмечено сейчас: 1" in text and '<td class="number">2</td>' in text
    assert voter.iin not in text
    board.close_board(ew.election)
    response = client.post(url, {"voted": SimpleUploadedFile("voted.csv", data)})
    assert response.status_code == 400 and "Доска бюллетеней закрыта" in response.content.decode()


def test_a_file_over_8_mb_is_refused(ew):
    with pytest.raises(VotedRefused) as refused:
        upload(ew, "1\n" * (4 * 1024 * 1024 + 1))
    assert "8 MB" in str(refused.value)
