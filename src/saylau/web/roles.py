"""Staff roles as Django groups: organiser, operator, auditor, and the paper stations'
commission operators and supervisors.

Each domain app declares in its ``AppConfig.ready`` which of its permissions a
role gets (``grant("operator", "registry.add_member", ...)``). After every
``migrate`` the groups are created and their permissions set to exactly what
the apps declared, so roles are defined in code and reviewed like code.

- organiser: runs an election (roll freezes and snapshots, imports, exclusions).
- operator: day-to-day data entry (member imports and corrections).
- auditor: read-only access to everything staff can see.
- commission_operator: types a protocol of their own station (a CommissionMember links the
  user to it), uploads its scan and who voted there.
- commission_supervisor: settles what two entries of their station's protocol disagree on;
  a staff supervisor (``is_staff``) does it for any station.
- complaints_operator, committee_member, committee_chair: the party control committee's
  hotline and members (saylau/complaints/roles.py says who does which step of a case).
- observer: sends check-ins, checklists, incidents and protocol copies from the stations they
  are accredited to; observer_coordinator: recruits, accredits and follows the observers of
  their organisation's headquarters; observer_hq: sees every organisation's network.
- pollster: registers and runs an independent exit poll (its design, interviewers, the
  estimates before the polls close); saylau/exitpoll/roles.py says for which polls.
"""

from __future__ import annotations

from typing import Any

ORGANISER = "organiser"
OPERATOR = "operator"
AUDITOR = "auditor"
COMMISSION_OPERATOR = "commission_operator"
COMMISSION_SUPERVISOR = "commission_supervisor"
OBSERVER = "observer"
OBSERVER_COORDINATOR = "observer_coordinator"
OBSERVER_HQ = "observer_hq"
POLLSTER = "pollster"
COMPLAINTS_OPERATOR = "complaints_operator"
COMMITTEE_MEMBER = "committee_member"
COMMITTEE_CHAIR = "committee_chair"
ROLES = (
    ORGANISER,
    OPERATOR,
    AUDITOR,
    COMMISSION_OPERATOR,
    COMMISSION_SUPERVISOR,
    COMPLAINTS_OPERATOR,
    COMMITTEE_MEMBER,
    COMMITTEE_CHAIR,
    OBSERVER,
    OBSERVER_COORDINATOR,
    OBSERVER_HQ,
    POLLSTER,
)

_GRANTS: dict[str, set[str]] = {role: set() for role in ROLES}


def grant(role: str, *permissions: str) -> None:
    """Give ``role`` the permissions named ``"app_label.codename"``."""
    if role not in _GRANTS:
        raise ValueError(f"unknown role {role!r}; expected one of {ROLES}")
    for permission in permissions:
        if permission.count(".") != 1:
            raise ValueError(f"permission {permission!r} must look like 'app_label.codename'")
        _GRANTS[role].add(permission)


def granted(role: str) -> frozenset[str]:
    return frozenset(_GRANTS[role])


def sync_groups(**_kwargs: Any) -> None:
    """Create the role groups and set their permissions (a ``post_migrate`` receiver)."""
    from django.contrib.auth.models import Group, Permission

    for role in ROLES:
        group, _created = Group.objects.get_or_create(name=role)
        wanted = _GRANTS[role]
        permissions = [
            permission
            for permission in Permission.objects.select_related("content_type")
            if f"{permission.content_type.app_label}.{permission.codename}" in wanted
        ]
        group.permissions.set(permissions)
