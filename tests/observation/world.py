"""An open election with two stations, two organisations, their coordinators and certified
observers (with accounts), for the observation tests.

Organisation `ak` (HQ in KZ-75, coordinator `coord`) has observers obs1, obs2, obs3;
organisation `bk` (coordinator `coord_b`) has obs_b. `hq` is an HQ account; `nobody` has no
role. NOW is the test's clock; windows run from NOW − 1 h to NOW + 12 h.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.contrib.auth.models import Group, User

from saylau.observation.models import Checklist, Headquarters, Observer, Organisation
from saylau.stations.models import Station
from saylau.web import roles
from tests.voting.helpers import World, build_world

NOW = dt.datetime(2026, 6, 7, 9, 0, tzinfo=dt.UTC)
START = NOW - dt.timedelta(hours=1)
END = NOW + dt.timedelta(hours=12)
PASSWORD = "observer-test-pass"
CHECKLIST_ITEMS = [
    {"id": "seals", "kk": "Жәшіктер мөрленген бе?", "ru": "Урны опечатаны?", "en": "Boxes sealed?"},
    {"id": "list", "kk": "Тізім көрсетілді ме?", "ru": "Список показан?", "en": "List shown?"},
]


@dataclass
class ObsWorld:
    world: World
    station: Station
    other: Station
    ak: Organisation
    bk: Organisation
    users: dict[str, User] = field(default_factory=dict)
    observers: dict[str, Observer] = field(default_factory=dict)

    @property
    def election(self) -> Any:
        return self.world.election


def _user(name: str, group: str | None) -> User:
    user = User.objects.create_user(name, password=PASSWORD)
    if group is not None:
        user.groups.add(Group.objects.get(name=group))
    return user


def _observer(org: Organisation, name: str, iin: str) -> Observer:
    return Observer.objects.create(
        organisation=org,
        user=_user(name, roles.OBSERVER),
        full_name=f"Observer {name}",
        iin=iin,
        phone="+77010000000",
        region="KZ-75",
        status=Observer.Status.CERTIFIED,
    )


def build_obs_world(members_rows: Any) -> ObsWorld:
    world = build_world(members_rows)
    election = world.election
    station = Station.objects.create(
        election=election, code="S-75", number=1, district="KZ-75", address="Абай даңғылы 1"
    )
    other = Station.objects.create(election=election, code="S-71", number=2, district="KZ-71")
    ak = Organisation.objects.create(name="Адал Көз", slug="ak")
    bk = Organisation.objects.create(name="Бақылау", slug="bk")
    users = {
        "coord": _user("coord", roles.OBSERVER_COORDINATOR),
        "coord_b": _user("coord_b", roles.OBSERVER_COORDINATOR),
        "hq": _user("hq", roles.OBSERVER_HQ),
        "nobody": _user("nobody", None),
    }
    Headquarters.objects.create(organisation=ak, region="KZ-75", name="Almaty").coordinators.add(
        users["coord"]
    )
    Headquarters.objects.create(organisation=bk, region="KZ-75", name="B").coordinators.add(
        users["coord_b"]
    )
    observers = {
        "obs1": _observer(ak, "obs1", "900101300011"),
        "obs2": _observer(ak, "obs2", "900101300022"),
        "obs3": _observer(ak, "obs3", "900101300033"),
        "obs_b": _observer(bk, "obs_b", "900101300044"),
    }
    Checklist.objects.create(election=election, phase="opening", items=CHECKLIST_ITEMS)
    return ObsWorld(world, station, other, ak, bk, users, observers)


@pytest.fixture
def ow(db, members, settings, tmp_path) -> ObsWorld:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
    return build_obs_world(members)


@pytest.fixture
def ow_tx(transactional_db, members, settings, tmp_path) -> ObsWorld:
    """The world in committed transactions (for tests with several connections)."""
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return build_obs_world(members)
