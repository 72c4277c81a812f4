"""The registry's public interface: other apps, views, the API and the CLI call these.

Imports::

    report = import_members(data, source_name="members.csv", dry_run=False, progress=cb)

Members::

    exclude_member(member_id, reason=..., on=date)   reinstate_member(member_id)

Election rolls (keyed by the election's identifier, a slug)::

    open_roll(election, freeze_date)     set_freeze_date(election, freeze_date)
    preview_counts(election)             close_roll(election, now=...)
    published_counts(election)           published_rolls()
    roll_members(election)               is_on_roll(election, member_id)
    match_roll_member(election, iin, phone)   (sign-in: member id or None)
    roll_entries(election)               (member id, district at closing) pairs
    eligible_members(freeze_date)

Errors are ``saylau.registry.errors.RegistryError`` subclasses with translated
messages; every function changes nothing when it raises.
"""

from __future__ import annotations

from saylau.registry.errors import (
    ImportConflict,
    ImportFileError,
    MemberError,
    RegistryError,
    RollClosed,
    RollExists,
    RollNotFound,
)
from saylau.registry.importing import (
    ImportReport,
    Problem,
    Progress,
    RejectedLine,
    district_lookup,
    import_members,
)
from saylau.registry.members import exclude_member, reinstate_member
from saylau.registry.models import District
from saylau.registry.rolls import (
    DistrictCount,
    RollCounts,
    close_roll,
    eligible_members,
    get_roll,
    is_on_roll,
    match_roll_member,
    open_roll,
    preview_counts,
    published_counts,
    published_rolls,
    roll_entries,
    roll_members,
    set_freeze_date,
)


def district_names() -> dict[str, dict[str, str]]:
    """Every district's code → its names {"kk", "ru", "en"} (for election manifests)."""
    return {
        d.code: {"kk": d.name_kk, "ru": d.name_ru, "en": d.name_en}
        for d in District.objects.order_by("code")
    }


__all__ = [
    "DistrictCount",
    "ImportConflict",
    "ImportFileError",
    "ImportReport",
    "MemberError",
    "Problem",
    "Progress",
    "RegistryError",
    "RejectedLine",
    "RollClosed",
    "RollCounts",
    "RollExists",
    "RollNotFound",
    "close_roll",
    "district_lookup",
    "district_names",
    "eligible_members",
    "exclude_member",
    "get_roll",
    "import_members",
    "is_on_roll",
    "match_roll_member",
    "open_roll",
    "preview_counts",
    "published_counts",
    "published_rolls",
    "reinstate_member",
    "roll_entries",
    "roll_members",
    "set_freeze_date",
]
