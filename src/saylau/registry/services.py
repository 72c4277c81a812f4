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
from saylau.registry.rolls import (
    DistrictCount,
    RollCounts,
    close_roll,
    eligible_members,
    get_roll,
    is_on_roll,
    open_roll,
    preview_counts,
    published_counts,
    published_rolls,
    roll_members,
    set_freeze_date,
)

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
    "eligible_members",
    "exclude_member",
    "get_roll",
    "import_members",
    "is_on_roll",
    "open_roll",
    "preview_counts",
    "published_counts",
    "published_rolls",
    "reinstate_member",
    "roll_members",
    "set_freeze_date",
]
