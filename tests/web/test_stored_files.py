"""web.stored_files: a file written in a transaction is deleted when that transaction or
savepoint rolls back, and kept when it commits or when no transaction is open."""

from __future__ import annotations

import pytest
from django.db import transaction

from saylau.complaints.models import InboundMail
from saylau.web import stored_files


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


def _write(name: str) -> str:
    return stored_files.save(InboundMail().raw, f"test/{name}.eml", b"Subject: x\r\n\r\nbody")


def _names(media) -> set[str]:
    return {p.name for p in media.rglob("*") if p.is_file()}


class Boom(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_commit_keeps_rollback_deletes(media):
    with transaction.atomic():
        _write("kept")
    with pytest.raises(Boom), transaction.atomic():
        _write("dropped")
        assert _names(media) == {"kept.eml", "dropped.eml"}  # readable until the rollback
        raise Boom
    with transaction.atomic():
        _write("marked")
        transaction.set_rollback(True)
    _write("autocommit")
    assert _names(media) == {"kept.eml", "autocommit.eml"}


@pytest.mark.django_db(transaction=True)
def test_a_savepoint_rolled_back_in_a_committed_transaction(media):
    with transaction.atomic():
        _write("outer")
        try:
            with transaction.atomic():
                _write("inner")
                raise Boom
        except Boom:
            pass
        with transaction.atomic():
            _write("inner-kept")
    assert _names(media) == {"outer.eml", "inner-kept.eml"}


@pytest.mark.django_db(transaction=True)
def test_an_outer_rollback_takes_the_committed_savepoints_file(media):
    with pytest.raises(Boom), transaction.atomic():
        with transaction.atomic():
            _write("inner")
        raise Boom
    assert _names(media) == set()


@pytest.mark.django_db(transaction=True)
def test_two_files_of_one_name_are_both_followed(media):
    with pytest.raises(Boom), transaction.atomic():
        first, second = _write("same"), _write("same")
        assert first != second  # the storage found a free name for the second
        raise Boom
    assert _names(media) == set()


def test_every_on_commit_callback_in_saylau_is_robust():
    """A non-robust callback that raised would make Django skip the rest — and with them
    the callbacks that keep a committed transaction's files (decision 0046)."""
    import ast
    from pathlib import Path

    import saylau

    loose = []
    for path in Path(saylau.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "on_commit"
                and not any(
                    k.arg == "robust" and isinstance(k.value, ast.Constant) and k.value.value
                    for k in node.keywords
                )
            ):
                loose.append(f"{path.name}:{node.lineno}")
    assert not loose, loose
