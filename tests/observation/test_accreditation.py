"""Accreditation: one active primary per organisation per station (held by the database),
reserves promoted on withdrawal or absence, the credential letter."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import IntegrityError, transaction
from pypdf import PdfReader

from saylau.observation import accreditation as acc
from saylau.observation.errors import ObservationForbidden, PrimaryTaken, WrongState
from saylau.observation.letter import credential_letter
from saylau.observation.models import Accreditation, Observer
from tests.observation.world import END, NOW, START

PRIMARY, RESERVE = "primary", "reserve"


def test_second_primary_of_an_organisation_is_refused(ow):
    coord = ow.users["coord"]
    acc.assign(coord, ow.observers["obs1"], ow.station, PRIMARY, START, END)
    with pytest.raises(PrimaryTaken) as caught:
        acc.assign(coord, ow.observers["obs2"], ow.station, PRIMARY, START, END)
    assert "S-75" in str(caught.value)
    # another organisation has its own primary, and the first one's reserve is fine
    acc.assign(ow.users["coord_b"], ow.observers["obs_b"], ow.station, PRIMARY, START, END)
    acc.assign(coord, ow.observers["obs2"], ow.station, RESERVE, START, END)
    assert Accreditation.objects.filter(station=ow.station, role=PRIMARY).count() == 2


def test_the_database_itself_refuses_a_second_active_primary(ow):
    acc.assign(ow.users["coord"], ow.observers["obs1"], ow.station, PRIMARY, START, END)
    with pytest.raises(IntegrityError), transaction.atomic():
        Accreditation.objects.create(
            observer=ow.observers["obs2"],
            organisation=ow.ak,
            station=ow.station,
            role=PRIMARY,
            starts_at=START,
            ends_at=END,
        )


def test_a_withdrawn_primary_frees_the_place(ow):
    coord = ow.users["coord"]
    first = acc.assign(coord, ow.observers["obs1"], ow.station, PRIMARY, START, END)
    assert acc.withdraw(coord, first, NOW) is None
    acc.assign(coord, ow.observers["obs2"], ow.station, PRIMARY, START, END)


def test_only_the_organisations_coordinator_assigns(ow):
    for name in ("coord_b", "nobody", "obs1"):
        user = ow.users.get(name) or ow.observers[name].user
        with pytest.raises(ObservationForbidden):
            acc.assign(user, ow.observers["obs1"], ow.station, PRIMARY, START, END)
    acc.assign(ow.users["hq"], ow.observers["obs1"], ow.station, PRIMARY, START, END)


def test_uncertified_observers_and_empty_windows_are_refused(ow):
    coord = ow.users["coord"]
    obs = ow.observers["obs1"]
    with pytest.raises(WrongState):
        acc.assign(coord, obs, ow.station, PRIMARY, END, START)
    with pytest.raises(WrongState):
        acc.assign(coord, obs, ow.station, "boss", START, END)
    Observer.objects.filter(pk=obs.pk).update(status=Observer.Status.TRAINED)
    obs.refresh_from_db()
    with pytest.raises(WrongState):
        acc.assign(coord, obs, ow.station, PRIMARY, START, END)
    assert not Accreditation.objects.exists()


def test_withdrawing_a_primary_promotes_the_first_reserve(ow):
    coord = ow.users["coord"]
    primary = acc.assign(coord, ow.observers["obs1"], ow.station, PRIMARY, START, END)
    first = acc.assign(coord, ow.observers["obs2"], ow.station, RESERVE, START, END)
    acc.assign(coord, ow.observers["obs3"], ow.station, RESERVE, START, END)
    promoted = acc.withdraw(coord, primary, NOW)
    assert promoted is not None and promoted.pk == first.pk
    first.refresh_from_db()
    assert first.role == PRIMARY and first.promoted_at == NOW
    primary.refresh_from_db()
    assert primary.status == "withdrawn"
    with pytest.raises(WrongState):
        acc.withdraw(coord, primary, NOW)


def test_a_primary_absent_at_the_start_is_replaced_by_the_reserve(ow):
    coord = ow.users["coord"]
    later = NOW + dt.timedelta(hours=1)
    primary = acc.assign(coord, ow.observers["obs1"], ow.station, PRIMARY, later, END)
    reserve = acc.assign(coord, ow.observers["obs2"], ow.station, RESERVE, START, END)
    assert acc.promote_absent(NOW) == []  # not started yet
    promoted = acc.promote_absent(later)
    assert [a.pk for a in promoted] == [reserve.pk]
    primary.refresh_from_db()
    assert primary.status == "replaced"
    assert acc.promote_absent(later) == []


def test_a_checked_in_primary_or_one_without_reserve_stays(ow):
    coord = ow.users["coord"]
    checked = acc.assign(coord, ow.observers["obs1"], ow.station, PRIMARY, START, END)
    acc.assign(coord, ow.observers["obs2"], ow.station, RESERVE, START, END)
    Accreditation.objects.filter(pk=checked.pk).update(checked_in_at=START)
    alone = acc.assign(ow.users["coord_b"], ow.observers["obs_b"], ow.station, PRIMARY, START, END)
    assert acc.promote_absent(NOW) == []
    alone.refresh_from_db()
    assert alone.status == "active" and alone.role == PRIMARY


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_the_credential_letter_names_observer_station_and_window(ow, language):
    a = acc.assign(ow.users["coord"], ow.observers["obs1"], ow.station, PRIMARY, START, END)
    pdf = credential_letter(a, language)
    text = "".join(page.extract_text() for page in PdfReader(__import__("io").BytesIO(pdf)).pages)
    assert "Observer obs1" in text and "S-75" in text and "Адал Көз" in text
    assert credential_letter(a, language) == pdf
    marker = {"kk": "куәлігі", "ru": "удостоверение", "en": "credential letter"}[language]
    assert marker in text.lower()
