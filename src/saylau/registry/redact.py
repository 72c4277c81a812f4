"""Keep IINs and phone numbers out of every log line.

IINs (12 digits) and Kazakhstan phone numbers (``+7 7xx …``, ``8 7xx …``, E.164)
are personal data. An IIN is also found written in groups (``8803-2739-7766``,
``880327%20397766`` in a URL) and inside a longer run of digits (there, only where twelve
of them are a valid IIN, so that timestamps and counters stay readable).
``RedactingFilter`` is attached to every log handler in
``saylau.site.settings.LOGGING``; it renders the record's message (including
its arguments, exception and stack) and replaces such numbers before any
formatter or handler sees them.
"""

from __future__ import annotations

import logging
import re

from saylau.registry.iin import is_valid as is_valid_iin

IIN_MASK = "[IIN]"
PHONE_MASK = "[PHONE]"

_IIN_RE = re.compile(r"(?<!\d)\d{12}(?!\d)")
# Digits in groups joined by a space, a dash, an underscore or their URL escapes.
_GROUP_SEP = r"(?:[ \-_]|%20|%2[dD]|\+)"
_DIGIT_RUN_RE = re.compile(r"(?<!\d)\d+(?:" + _GROUP_SEP + r"\d+)*(?!\d)")
_SEP_RE = re.compile(_GROUP_SEP)
# +7 / 8 / 7 prefix (optional), then a 10-digit national number starting with 6 or 7,
# with the usual separators: "+7 (701) 123-45-67", "87011234567", "+77011234567".
_SEP = r"[\s\-.()]*"
_PHONE_RE = re.compile(
    r"(?<![\d+])(?:\+\s*7|8|7)?"
    + _SEP
    + r"[67]\d{2}"
    + _SEP
    + r"\d{3}"
    + _SEP
    + r"\d{2}"
    + _SEP
    + r"\d{2}(?!\d)"
)


def _holds_iin(digits: str) -> bool:
    if len(digits) == 12:
        return True
    return len(digits) > 12 and any(
        is_valid_iin(digits[i : i + 12]) for i in range(len(digits) - 11)
    )


def _mask_run(match: re.Match[str]) -> str:
    run = match.group(0)
    return IIN_MASK if _holds_iin(_SEP_RE.sub("", run)) else run


def redact(text: str) -> str:
    """Replace IINs and phone numbers in ``text`` by placeholders."""
    if not any(ch.isdigit() for ch in text):
        return text
    text = _IIN_RE.sub(IIN_MASK, text)
    text = _DIGIT_RUN_RE.sub(_mask_run, text)
    return _PHONE_RE.sub(PHONE_MASK, text)


class RedactingFilter(logging.Filter):
    """A logging filter that never drops a record, only rewrites it."""

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string must not hide the log line
            message = f"{record.msg!r} % {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info:
            record.exc_text = redact(self._formatter.formatException(record.exc_info))
            record.exc_info = None
        elif record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
