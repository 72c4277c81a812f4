import pytest
from hypothesis import given
from hypothesis import strategies as st

from saylau.registry import phone


@pytest.mark.parametrize(
    "raw",
    [
        "+77011234567",
        "+7 701 123 45 67",
        "+7 (701) 123-45-67",
        "8 701 123 4567",
        "87011234567",
        "77011234567",
        "7011234567",
        "00 7 701 123 45 67",
        " +7-701-123-45-67 ",
        "+7\u00a0701\u00a0123\u00a045\u00a067",
    ],
)
def test_spellings_normalise_to_e164(raw):
    assert phone.normalize(raw) == "+77011234567"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("+7 701 123 45 6x", "chars"),
        ("+7 701 +123 45 67", "chars"),
        ("+7 701 123 45 6", "length"),
        ("+7 701 123 45 678", "length"),
        ("+49 151 1234567", "country"),
        ("+7 916 123 45 67", "country"),  # Russia
        ("8 916 123 45 67", "country"),
        ("+7 7172 12 34 56", "not_mobile"),  # an Astana landline
        ("+7 799 123 45 67", "not_mobile"),
    ],
)
def test_rejections(raw, code):
    with pytest.raises(phone.PhoneError) as error:
        phone.normalize(raw)
    assert error.value.code == code


def test_landlines_allowed_when_not_mobile_only():
    assert phone.normalize("+7 7172 12 34 56", mobile_only=False) == "+77172123456"


def test_pretty_and_mask():
    assert phone.pretty("+77011234567") == "+7 701 123 45 67"
    assert phone.mask("+77011234567") == "+7 701 *** ** 67"


prefixes = st.sampled_from(sorted(phone.MOBILE_PREFIXES))
subscribers = st.integers(min_value=0, max_value=9_999_999).map(lambda n: f"{n:07d}")


@given(
    prefixes,
    subscribers,
    st.sampled_from(["+7 ", "8", "7", "", "+7(", "00 7 "]),
    st.sampled_from(["", " ", "-", ") "]),
)
def test_every_spelling_of_a_number_normalises_the_same(prefix, number, lead, sep):
    expected = f"+7{prefix}{number}"
    raw = f"{lead}{prefix}{sep}{number[:3]} {number[3:5]}-{number[5:]}"
    if lead == "+7(" and sep != ") ":
        raw = raw.replace("(", "")
    assert phone.normalize(raw) == expected
    assert phone.normalize(expected) == expected  # idempotent


@given(st.text(max_size=30))
def test_any_text_is_a_number_or_raises_phone_error(text):
    try:
        result = phone.normalize(text)
    except phone.PhoneError as error:
        assert error.code in {"empty", "chars", "length", "country", "not_mobile"}
    else:
        assert result.startswith("+7") and len(result) == 12 and result[1:].isdigit()
