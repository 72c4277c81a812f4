import datetime as dt

import pytest
from django.db.models import ProtectedError

from saylau.registry import services
from saylau.registry.models import District, Member, RollEntry, RollSnapshot

pytestmark = pytest.mark.django_db
FREEZE = dt.date(2020, 9, 11)
CLOSED_AT = dt.datetime(2020, 9, 20, 9, 0, tzinfo=dt.UTC)


def add(members, index, district, join_date, **extra):
    row = members(index + 1, seed=11)[index]
    return Member.objects.create(
        iin=row[0],
        full_name=row[1],
        phone=row[2],
        district_id=district,
        join_date=join_date,
        **extra,
    )


@pytest.fixture
def roll_members(members):
    return {
        "almaty_old": add(members, 0, "KZ-75", dt.date(2005, 1, 1)),
        "almaty_eve": add(members, 1, "KZ-75", FREEZE - dt.timedelta(days=1)),
        "almaty_on_freeze": add(members, 2, "KZ-75", FREEZE),
        "astana_after": add(members, 3, "KZ-71", FREEZE + dt.timedelta(days=3)),
        "shymkent": add(members, 4, "KZ-79", dt.date(2012, 6, 1)),
        "excluded": add(
            members,
            5,
            "KZ-79",
            dt.date(2012, 6, 1),
            status="excluded",
            excluded_reason="чистка",
            excluded_on=dt.date(2020, 1, 10),
        ),
    }


def test_freeze_date_and_exclusions(roll_members):
    eligible = set(services.eligible_members(FREEZE))
    assert eligible == {
        roll_members["almaty_old"],
        roll_members["almaty_eve"],
        roll_members["shymkent"],
    }


def test_open_preview_close_publish(roll_members):
    services.open_roll("primaries-2020", FREEZE)
    preview = {d.code: d.count for d in services.preview_counts("primaries-2020")}
    assert len(preview) == 20
    assert (preview["KZ-75"], preview["KZ-71"], preview["KZ-79"]) == (2, 0, 1)
    with pytest.raises(services.RollNotFound):
        services.published_counts("primaries-2020")

    roll = services.close_roll("primaries-2020", now=CLOSED_AT)
    assert roll.is_closed and roll.total == 3 and roll.closed_at == CLOSED_AT
    assert len(roll.digest) == 64

    counts = services.published_counts("primaries-2020")
    by_code = {d.code: d.count for d in counts.districts}
    assert by_code["KZ-75"] == 2 and by_code["KZ-79"] == 1 and sum(by_code.values()) == 3
    assert counts.total == 3
    assert services.published_rolls() == [roll]
    assert set(services.roll_members("primaries-2020")) == {
        roll_members["almaty_old"],
        roll_members["almaty_eve"],
        roll_members["shymkent"],
    }
    assert services.is_on_roll("primaries-2020", roll_members["almaty_old"].pk)
    assert not services.is_on_roll("primaries-2020", roll_members["astana_after"].pk)


def test_a_closed_roll_never_changes(roll_members):
    services.open_roll("p", FREEZE)
    services.close_roll("p", now=CLOSED_AT)
    before = services.published_counts("p")
    # Later events do not move a closed roll.
    services.exclude_member(roll_members["almaty_old"].pk, reason="x", on=dt.date(2020, 9, 21))
    assert services.published_counts("p") == before
    with pytest.raises(services.RollClosed):
        services.close_roll("p")
    with pytest.raises(services.RollClosed):
        services.set_freeze_date("p", dt.date(2021, 1, 1))
    with pytest.raises(ProtectedError):
        roll_members["shymkent"].delete()


def test_digest_is_reproducible(roll_members):
    services.open_roll("a", FREEZE)
    first = services.close_roll("a", now=CLOSED_AT).digest
    RollSnapshot.objects.filter(election="a").delete()
    services.open_roll("a", FREEZE)
    assert services.close_roll("a", now=CLOSED_AT).digest == first
    services.open_roll("b", FREEZE)
    assert services.close_roll("b", now=CLOSED_AT).digest != first  # election is bound in


def test_entries_keep_the_district_at_closing(roll_members):
    services.open_roll("p", FREEZE)
    services.close_roll("p", now=CLOSED_AT)
    member = roll_members["shymkent"]
    member.district = District.objects.get(code="KZ-10")
    member.save()
    assert RollEntry.objects.get(member=member).district_id == "KZ-79"


def test_freeze_date_can_move_while_open(roll_members):
    services.open_roll("p", FREEZE)
    services.set_freeze_date("p", FREEZE + dt.timedelta(days=5))
    assert sum(d.count for d in services.preview_counts("p")) == 5


def test_errors(roll_members):
    services.open_roll("p", FREEZE)
    with pytest.raises(services.RollExists):
        services.open_roll("p", FREEZE)
    with pytest.raises(services.RollNotFound):
        services.get_roll("nope")
    with pytest.raises(services.RegistryError):
        services.open_roll("Bad Name!", FREEZE)
    with pytest.raises(services.RollNotFound):
        services.roll_members("p")
