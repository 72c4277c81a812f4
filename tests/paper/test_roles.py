"""Permissions per role: the groups' grants, and each service's check for each role and
station (a named refusal, nothing changed)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from saylau.paper import roles, services
from saylau.paper.entry_errors import PaperForbidden
from saylau.paper.models import Protocol, ProtocolEntry
from saylau.web import roles as web_roles
from tests.paper.entry_world import CONTEST, PASSWORD, PDF, ew, good_counts

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]
__all__ = ["ew"]


def group_perms(name):
    group = Group.objects.get(name=name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


def test_the_groups_hold_the_paper_permissions():
    assert {web_roles.COMMISSION_OPERATOR, web_roles.COMMISSION_SUPERVISOR} <= set(web_roles.ROLES)
    operator = group_perms(web_roles.COMMISSION_OPERATOR)
    assert {roles.ENTER, roles.UPLOAD_SCAN, roles.MARK_VOTED} <= operator
    assert roles.RESOLVE not in operator and roles.OPEN_RECOUNT not in operator
    supervisor = group_perms(web_roles.COMMISSION_SUPERVISOR)
    assert roles.RESOLVE in supervisor and roles.ENTER not in supervisor
    organiser = group_perms(web_roles.ORGANISER)
    assert {roles.OPEN_RECOUNT, roles.ANY_STATION, roles.ENTER, roles.RESOLVE} <= organiser
    assert not {roles.ENTER, roles.RESOLVE} & group_perms(web_roles.AUDITOR)


ENTER_ALLOWED = {"op1", "op2", "org"}


@pytest.mark.parametrize("name", ["op1", "op2", "sup", "far", "org", "boss", "aud", "nobody"])
def test_who_may_enter(ew, name):
    user = ew.users[name]
    if name in ENTER_ALLOWED:
        services.submit_entry(ew.election, ew.station, CONTEST, user, good_counts())
        assert ProtocolEntry.objects.count() == 1
        return
    with pytest.raises(PaperForbidden) as refused:
        services.submit_entry(ew.election, ew.station, CONTEST, user, good_counts())
    if name == "far":  # an operator, of another station
        assert "not on the commission of station S-75" in str(refused.value)
    assert ProtocolEntry.objects.count() == 0


@pytest.fixture
def conflict(ew) -> Protocol:
    services.submit_entry(ew.election, ew.station, CONTEST, ew.users["op1"], good_counts())
    services.submit_entry(ew.election, ew.station, CONTEST, ew.users["op2"], good_counts(valid=1))
    return Protocol.objects.get()


@pytest.mark.parametrize(
    ("name", "allowed"),
    [("sup", True), ("boss", True), ("org", True), ("op1", False), ("far", False), ("aud", False)],
)
def test_who_may_settle(ew, conflict, name, allowed):
    values = {("counts", "valid"): 78}
    if allowed:
        services.resolve(conflict, ew.users[name], values)
        assert Protocol.objects.get().status == "draft"
    else:
        with pytest.raises(PaperForbidden):
            services.resolve(conflict, ew.users[name], values)
        with pytest.raises(PaperForbidden):
            services.request_reentry(conflict, ew.users[name])
        assert Protocol.objects.get().status == "conflict"


@pytest.mark.parametrize(
    ("name", "allowed"),
    [("op1", True), ("sup", True), ("boss", True), ("org", True), ("far", False), ("aud", False)],
)
def test_who_may_upload_a_scan(ew, conflict, name, allowed):
    if allowed:
        services.upload_scan(conflict, ew.users[name], PDF)
        assert Protocol.objects.get().scan_sha256
    else:
        with pytest.raises(PaperForbidden):
            services.upload_scan(conflict, ew.users[name], PDF)
        assert not Protocol.objects.get().scan_sha256


def test_visible_stations(ew):
    codes = {
        name: set(roles.visible_stations(ew.users[name]).values_list("code", flat=True))
        for name in ew.users
    }
    assert codes["op1"] == codes["sup"] == {"S-75"}
    assert codes["far"] == {"S-71"}
    assert codes["org"] == codes["aud"] == codes["boss"] == {"S-75", "S-71"}
    assert codes["nobody"] == set()


def test_pages_refuse_per_role(ew, client):
    url = f"/en/paper/primaries-test/S-75/{CONTEST}/enter/"
    for name, status in (("op1", 200), ("sup", 403), ("far", 403), ("aud", 403), ("org", 200)):
        client.login(username=name, password=PASSWORD)
        assert client.get(url).status_code == status, name
        client.logout()
