import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from saylau.registry.models import District, Member

pytestmark = pytest.mark.django_db


def make(row, **extra):
    values = {
        "iin": row[0],
        "full_name": row[1],
        "phone": row[2],
        "district_id": row[3],
        "join_date": dt.date(2010, 1, 1),
    }
    values.update(extra)
    return Member(**values)


def test_districts_are_loaded():
    assert District.objects.count() == 20
    almaty = District.objects.get(code="KZ-75")
    from django.utils import translation

    for language, name in (("kk", "Алматы қаласы"), ("ru", "город Алматы"), ("en", "Almaty")):
        with translation.override(language):
            assert almaty.name == name == str(almaty)


def test_iin_column_is_char_12():
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, "registry_member")
    column = next(c for c in description if c.name == "iin")
    if connection.vendor == "postgresql":
        assert column.type_code == 1042  # bpchar
    assert column.internal_size in (12, None) or connection.vendor == "sqlite"


def test_string_form_hides_iin_and_phone(members):
    row = members(1)[0]
    member = make(row)
    member.save()
    assert row[0] not in str(member) and row[2] not in str(member)
    assert str(member) == f"{row[1]} (#{member.pk})"


def test_unique_iin(members):
    row = members(1)[0]
    make(row).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        make(row, phone="+77770000001").save()


def test_active_phone_unique_but_excluded_may_share(members):
    a, b, _ = members(3)
    make(a).save()
    with pytest.raises(IntegrityError), transaction.atomic():
        make(b, phone=a[2]).save()
    make(
        b, phone=a[2], status="excluded", excluded_reason="r", excluded_on=dt.date(2019, 1, 1)
    ).save()


def test_exclusion_fields_consistent_in_the_database(members):
    a, b = members(2)
    with pytest.raises(IntegrityError), transaction.atomic():
        make(a, status="excluded").save()
    with pytest.raises(IntegrityError), transaction.atomic():
        make(b, excluded_reason="why").save()


def test_full_clean_messages(members, english):
    a = members(1)[0]
    member = make(
        a,
        iin="900101300008",
        phone="+79161234567",
        status="excluded",
        join_date=dt.date(1900, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        member.full_clean()
    errors = error.value.message_dict
    assert "check digit" in errors["iin"][0]
    assert "mobile" in errors["phone"][0]
    assert "reason" in errors["excluded_reason"][0]
    assert "date" in errors["excluded_on"][0]
