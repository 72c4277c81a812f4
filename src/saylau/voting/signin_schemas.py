"""The sign-in API's request bodies: each field's pattern is stated in the OpenAPI schema and
enforced by a validator with a clear, translated message (one regex for both)."""

from __future__ import annotations

import re
from typing import Any

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from saylau.voting import signin


def _pattern_field(pattern: str, length: int, description: str) -> Any:
    """A string field whose pattern the schema states; `_matching` enforces it."""
    return Field(
        ...,
        min_length=length,
        max_length=length,
        description=description,
        json_schema_extra={"pattern": pattern},
    )


def _matching(value: Any, pattern: str, message: str) -> str:
    if not isinstance(value, str) or re.fullmatch(pattern, value) is None:
        raise PydanticCustomError("saylau.signin", message)
    return value


class SignInIn(Schema):
    iin: str = _pattern_field(
        signin.IIN_PATTERN, 12, "12 digits; the last is the check digit (422 when it is wrong)."
    )
    phone: str = _pattern_field(
        signin.PHONE_PATTERN, 12, "A Kazakhstan mobile number in E.164: +7 and 10 digits."
    )

    @field_validator("iin", mode="before")
    @classmethod
    def _iin(cls, value: Any) -> str:
        return _matching(value, signin.IIN_PATTERN, _("An IIN has exactly 12 digits."))

    @field_validator("phone", mode="before")
    @classmethod
    def _phone(cls, value: Any) -> str:
        message = _(
            "Enter a Kazakhstan mobile number as +7 and 10 digits, for example +77011234567."
        )
        return _matching(value, signin.PHONE_PATTERN, message)


class VerifyIn(Schema):
    challenge: str = _pattern_field(
        signin.CHALLENGE_PATTERN, 32, "The challenge id the sign-in answered."
    )
    code: str = _pattern_field(signin.CODE_PATTERN, 6, "The 6-digit code from the SMS.")

    @field_validator("challenge", mode="before")
    @classmethod
    def _challenge(cls, value: Any) -> str:
        message = _("This is not a challenge id: ask for a new code.")
        return _matching(value, signin.CHALLENGE_PATTERN, message)

    @field_validator("code", mode="before")
    @classmethod
    def _code(cls, value: Any) -> str:
        return _matching(value, signin.CODE_PATTERN, _("The code has 6 digits."))
