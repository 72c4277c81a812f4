"""Files that follow the database transaction they are written in (decision 0046): a file
saved for a row inside `transaction.atomic` is deleted again if that block (or one around
it) rolls back, so a rolled-back row leaves no file behind in MEDIA_ROOT.

Django has no on-rollback hook, but it drops the `on_commit` callbacks of a transaction or
savepoint that rolls back without calling them. Each file registers a small callable whose
only reference is Django's list: called, it marks the file kept; dropped uncalled, its
finalizer deletes the file. Outside a transaction the row is saved at once; nothing is
registered.
"""

from __future__ import annotations

import weakref

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db import transaction
from django.db.models.fields.files import FieldFile


class _Kept:
    """The on_commit callback: sets the shared flag that spares the file."""

    __slots__ = ("__weakref__", "flag")

    def __init__(self, flag: list[bool]) -> None:
        self.flag = flag

    def __call__(self) -> None:
        self.flag[0] = True


def _delete_unless_kept(storage: Storage, name: str, flag: list[bool]) -> None:
    if not flag[0]:
        storage.delete(name)


def save(field: FieldFile, name: str, data: bytes, *, using: str | None = None) -> str:
    """`field.save(name, data, save=False)` tied to the open transaction; the stored name."""
    field.save(name, ContentFile(data), save=False)
    stored = str(field.name)
    if transaction.get_connection(using).in_atomic_block:
        flag = [False]
        kept = _Kept(flag)
        weakref.finalize(kept, _delete_unless_kept, field.storage, stored, flag)
        transaction.on_commit(kept, using=using, robust=True)
    return stored
