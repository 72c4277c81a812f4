"""Kazakhstan mobile phone numbers, normalised to E.164 (``+77011234567``). Pure, no Django.

Accepted spellings: ``+7 701 123 45 67``, ``+7 (701) 123-45-67``, ``8 701 123 4567``
(the old trunk prefix), ``87011234567``, ``77011234567``, ``7011234567``,
``00 7 701 …``. Kazakhstan's numbers are ``+7 6xx``/``+7 7xx``; ``+7 9xx`` is Russia.
One-time codes go by SMS, so by default only mobile operators' codes are accepted.
"""

from __future__ import annotations

# Mobile network codes in use in Kazakhstan (Kcell/activ, Beeline/Izi, Tele2/Altel).
MOBILE_PREFIXES = frozenset(
    {"700", "701", "702", "705", "706", "707", "708", "747", "771", "775", "776", "777", "778"}
)
_ALLOWED = frozenset("0123456789 +-().\u00a0\t")


class PhoneError(ValueError):
    """A phone number is not valid. ``code``: empty, chars, length, country, not_mobile."""

    def __init__(self, code: str, detail: str) -> None:
        super().__init__(detail)
        self.code = code


def normalize(raw: str, *, mobile_only: bool = True) -> str:
    """Return the E.164 form of a Kazakhstan (mobile) number or raise ``PhoneError``."""
    text = raw.strip()
    if not text:
        raise PhoneError("empty", "no phone number")
    if not _ALLOWED.issuperset(text) or "+" in text[1:]:
        raise PhoneError("chars", "a phone number has digits, spaces, +, -, ( and ) only")
    plus = text.startswith("+")
    digits = "".join(ch for ch in text if ch.isdigit())
    if not plus and digits.startswith("00"):
        plus, digits = True, digits[2:]
    if plus:
        if not digits.startswith("7"):
            raise PhoneError("country", "not a Kazakhstan number (+7)")
        national = digits[1:]
    elif len(digits) == 11 and digits[0] in "78":
        national = digits[1:]
    else:
        national = digits
    if len(national) != 10:
        raise PhoneError("length", "a Kazakhstan number has 10 digits after +7")
    if national[0] not in "67":
        raise PhoneError("country", "not a Kazakhstan number (+7 6xx or +7 7xx)")
    if mobile_only and national[:3] not in MOBILE_PREFIXES:
        raise PhoneError("not_mobile", "not a Kazakhstan mobile number")
    return "+7" + national


def is_valid(raw: str, *, mobile_only: bool = True) -> bool:
    try:
        normalize(raw, mobile_only=mobile_only)
    except PhoneError:
        return False
    return True


def pretty(e164: str) -> str:
    """``+77011234567`` → ``+7 701 123 45 67``."""
    n = e164[2:]
    return f"+7 {n[0:3]} {n[3:6]} {n[6:8]} {n[8:10]}"


def mask(e164: str) -> str:
    """``+77011234567`` → ``+7 701 *** ** 67``: enough for a person to recognise their number."""
    n = e164[2:]
    return f"+7 {n[0:3]} *** ** {n[8:10]}"
