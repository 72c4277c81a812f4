"""IINField keeps all twelve digits through every insert path, on SQLite and PostgreSQL."""

import datetime

import pytest

from saylau.registry import synth
from saylau.registry.models import District, Member


@pytest.mark.django_db
def test_bulk_create_keeps_twelve_digits():
    # PostgreSQL's bulk_create of several rows casts each column to `<type>[]`; with a plain
    # char(12) column that cast was char(1) and stored only an IIN's first digit.
    district = District.objects.first() or District.objects.create(
        code="KZ-TEST", name_kk="a", name_ru="a", name_en="a"
    )
    rows = list(synth.generate(3, seed=7))
    Member.objects.bulk_create(
        Member(
            iin=m.iin,
            full_name="Test",
            phone=m.phone,
            district=district,
            join_date=datetime.date(2020, 1, 1),
        )
        for m in rows
    )
    stored = sorted(Member.objects.values_list("iin", flat=True))
    assert stored == sorted(m.iin for m in rows)
    assert all(len(iin) == 12 for iin in stored)
