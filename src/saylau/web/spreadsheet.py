"""Cells of the CSV exports made safe to open in a spreadsheet.

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return would run as a
formula in Excel or LibreOffice (CSV injection); it gets a leading apostrophe. Every CSV the
site serves (results, the register of decisions, the HQ's exports) passes its cells here.
"""

from __future__ import annotations

from typing import Any

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutral(value: Any) -> Any:
    """`value`, with a leading apostrophe if it is text a spreadsheet would run as a formula."""
    if isinstance(value, str) and value[:1] in _FORMULA_START:
        return "'" + value
    return value
