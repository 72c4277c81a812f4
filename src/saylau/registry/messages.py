"""Translated messages for the problems an import or a form can find in a member line.

A problem is a stable code (``iin.checksum``, ``phone.shared`` …) used in reports,
the API and tests; the message is looked up in the user's language when shown.
Messages never repeat the IIN or phone number they are about.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def _table() -> dict[str, str]:
    return {
        "iin.missing": _("The IIN is missing."),
        "iin.length": _("The IIN must have exactly 12 digits."),
        "iin.digits": _("The IIN must contain digits only."),
        "iin.century": _("The IIN's 7th digit (century and sex) must be from 1 to 6."),
        "iin.birth_date": _("The IIN's first six digits are not a valid birth date."),
        "iin.checksum": _("The IIN's check digit is wrong: there is a typo in the number."),
        "iin.duplicate": _("The same IIN is also on line {line}."),
        "iin.on_roll": _("A member with this IIN is already on the roll."),
        "full_name.missing": _("The full name is missing."),
        "full_name.invalid": _("The full name must be written in letters."),
        "full_name.too_long": _("The full name is longer than 200 characters."),
        "phone.missing": _("The phone number is missing."),
        "phone.empty": _("The phone number is missing."),
        "phone.chars": _("The phone number may contain only digits, spaces, +, -, ( and )."),
        "phone.length": _("The phone number must have 10 digits after +7."),
        "phone.country": _("The phone number is not a Kazakhstan number (+7 7xx)."),
        "phone.not_mobile": _("The phone number is not a Kazakhstan mobile number."),
        "phone.shared": _(
            "The same phone number is also on line {line}: one phone may belong to one member only."
        ),
        "phone.on_roll": _("This phone number already belongs to another active member."),
        "district.missing": _("The district is missing."),
        "district.unknown": _(
            "Unknown district: use a code such as KZ-75 or the region's or city's full name."
        ),
        "join_date.missing": _("The join date is missing."),
        "join_date.invalid": _("The join date is not a date: use YYYY-MM-DD or DD.MM.YYYY."),
        "join_date.future": _("The join date is in the future."),
        "join_date.before_birth": _("The join date is before the birth date in the IIN."),
        "status.invalid": _("The status must be active or excluded."),
        "excluded_reason.missing": _("An excluded member needs the reason for the exclusion."),
        "excluded_on.missing": _("An excluded member needs the date of the exclusion."),
        "excluded_on.invalid": _("The exclusion date is not a date: use YYYY-MM-DD or DD.MM.YYYY."),
        "excluded_on.unexpected": _("An active member cannot have an exclusion reason or date."),
    }


def problem_message(code: str, line: int | None = None) -> str:
    template = _table().get(code)
    if template is None:
        return _("This value is not valid.")
    return template.format(line=line if line is not None else "?")


def known_codes() -> frozenset[str]:
    return frozenset(_table())
