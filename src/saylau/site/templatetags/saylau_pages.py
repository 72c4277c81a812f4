"""Template helpers of the pages: local times with their zone, manifest names in the page's
language, and form fields whose aria-describedby names only ids the page has."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import template
from django.conf import settings
from django.forms import BoundField
from django.utils import formats
from django.utils.dates import MONTHS_ALT
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from saylau.voting.public import in_language

register = template.Library()


def time_format() -> str:
    """Django's date format of a moment in the page's language ("7 December 2026, 01:10:05",
    "7 декабря 2026 г., 01:10:05", "2026 ж. 7 Желтоқсан, 01:10:05")."""
    return _("j E Y, H:i:s")


def as_moment(value: Any) -> dt.datetime | None:
    """A datetime, or milliseconds since the Unix epoch (the board's leaf and head times)."""
    if isinstance(value, dt.datetime):
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)
    if isinstance(value, int) and not isinstance(value, bool):
        return dt.datetime.fromtimestamp(value / 1000, tz=dt.UTC)
    return None


def zone_label(moment: dt.datetime) -> str:
    """'Asia/Almaty, UTC+05:00': the zone's name and its offset at that moment."""
    offset = moment.strftime("%z")
    return f"{moment.tzinfo}, UTC{offset[:3]}:{offset[3:]}"


@register.simple_tag
def local_time(value: Any) -> SafeString | str:
    """<time> in the site's time zone, readable, with the zone; the exact instant (ISO 8601)
    in its datetime attribute. Empty for no value."""
    moment = as_moment(value)
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(settings.TIME_ZONE))
    text = formats.date_format(local, time_format())
    return format_html(
        '<time datetime="{}">{} <span class="zone">({})</span></time>',
        local.isoformat(timespec="milliseconds"),
        text,
        zone_label(local),
    )


@register.simple_tag
def local_time_data() -> dict[str, Any]:
    """What a page script needs to show a time as {% local_time %} does (frontend/src/
    local-time.js): the page language's format, its month names, the site's time zone."""
    return {
        "format": time_format(),
        "months": [str(MONTHS_ALT[m]) for m in range(1, 13)],
        "timeZone": settings.TIME_ZONE,
    }


@register.filter(name="in_language")
def in_language_filter(names: Any) -> str:
    """A manifest name in the page's language (with public.in_language's fallbacks)."""
    return in_language(names, get_language() or settings.LANGUAGE_CODE)


@register.filter
def title_of(election: Any) -> str:
    """The election's title in the page's language."""
    manifest = getattr(election, "manifest", None) or {}
    language = get_language() or settings.LANGUAGE_CODE
    return in_language(manifest.get("title"), language, fallback=str(election.slug))


def described_ids(field: BoundField) -> list[str]:
    """The ids of the help text and the error message the form template shows for `field`."""
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}_helptext")
    if field.errors:
        ids.append(f"{field.auto_id}_error")
    return ids


@register.simple_tag
def described_widget(field: BoundField) -> SafeString:
    """The field's input, described by exactly the help and error the template renders."""
    attrs: dict[str, str | bool] = {}
    ids = described_ids(field)
    if ids:
        attrs["aria-describedby"] = " ".join(ids)
    if field.errors:
        attrs["aria-invalid"] = "true"
    return field.as_widget(attrs=attrs)
