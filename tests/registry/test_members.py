import datetime as dt

import pytest

from saylau.registry import services
from saylau.registry.models import Member

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(members):
    rows = members(2, seed=21)
    made = [
        Member.objects.create(
            iin=r[0], full_name=r[1], phone=r[2], district_id=r[3], join_date=dt.date(2010, 1, 1)
        )
        for r in rows
    ]
    return made


def test_exclude_and_reinstate(pair):
    member = services.exclude_member(pair[0].pk, reason="  устав  бұзды ", on=dt.date(2020, 1, 1))
    assert member.status == Member.Status.EXCLUDED
    assert member.excluded_reason == "устав бұзды"
    with pytest.raises(services.MemberError):
        services.exclude_member(pair[0].pk, reason="again", on=dt.date(2020, 1, 2))
    member = services.reinstate_member(pair[0].pk)
    assert (member.status, member.excluded_reason, member.excluded_on) == ("active", "", None)
    with pytest.raises(services.MemberError):
        services.reinstate_member(pair[0].pk)


def test_exclusion_needs_a_reason_and_a_sensible_date(pair):
    with pytest.raises(services.MemberError):
        services.exclude_member(pair[0].pk, reason="   ", on=dt.date(2020, 1, 1))
    with pytest.raises(services.MemberError):
        services.exclude_member(pair[0].pk, reason="x", on=dt.date(2000, 1, 1))
    assert Member.objects.get(pk=pair[0].pk).status == "active"


def test_reinstatement_refused_when_the_phone_moved_on(pair):
    services.exclude_member(pair[0].pk, reason="x", on=dt.date(2020, 1, 1))
    Member.objects.filter(pk=pair[1].pk).update(phone=pair[0].phone)
    with pytest.raises(services.MemberError) as error:
        services.reinstate_member(pair[0].pk)
    assert error.value.field == "phone"
