"""Shares as percentages with one decimal, and signed differences in points."""

from __future__ import annotations

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def pct(value: float | None) -> str:
    """0.4213 → "42.1" (in the page's number format); "—" for none."""
    return "—" if value is None else str(number_format(100 * value, 1))


@register.filter
def points(value: float | None) -> str:
    """A difference of shares in percentage points with its sign: +1.3, −0.4."""
    if value is None:
        return "—"
    sign = "+" if value >= 0 else "−"
    return sign + str(number_format(abs(100 * value), 1))
