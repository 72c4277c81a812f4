import pytest
from django.contrib.auth.models import Group

from saylau.web import roles

pytestmark = pytest.mark.django_db


def test_groups_exist_after_migrate():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLES)


def test_grant_validation():
    with pytest.raises(ValueError):
        roles.grant("janitor", "registry.view_member")
    with pytest.raises(ValueError):
        roles.grant(roles.AUDITOR, "view_member")


def test_sync_is_idempotent_and_exact():
    roles.sync_groups()
    roles.sync_groups()
    auditor = Group.objects.get(name=roles.AUDITOR)
    names = {f"{p.content_type.app_label}.{p.codename}" for p in auditor.permissions.all()}
    assert names == set(roles.granted(roles.AUDITOR))
