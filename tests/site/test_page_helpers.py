"""The pages' template helpers: local times with their zone, names in the page's language,
form fields described only by what the page shows."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.template import Context, Template
from django.utils import translation

from saylau.site.templatetags.saylau_pages import described_widget, local_time, title_of
from saylau.voting.public import in_language

# 2026-12-06 20:10:05.123 UTC = 2026-12-07 01:10:05 in Almaty (UTC+05:00)
MOMENT_MS = 1_796_587_805_123
MOMENT = dt.datetime(2026, 12, 6, 20, 10, 5, 123000, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("language", "day"),
    [
        ("en", "7 December 2026, 01:10:05"),
        ("ru", "7 декабря 2026 г., 01:10:05"),
        ("kk", "2026 ж. 7 Желтоқсан, 01:10:05"),
    ],
)
def test_a_time_is_local_readable_and_names_its_zone(language, day):
    with translation.override(language):
        html = str(local_time(MOMENT_MS))
        assert html == str(local_time(MOMENT))
    assert html.startswith('<time datetime="2026-12-07T01:10:05.123+05:00">')
    assert day in html
    assert "(Asia/Almaty, UTC+05:00)" in html
    assert str(MOMENT_MS) not in html


def test_no_time_is_shown_as_nothing():
    assert local_time(None) == "" and local_time("1796587805123") == ""


def test_a_naive_time_is_taken_as_utc():
    assert str(local_time(MOMENT.replace(tzinfo=None))) == str(local_time(MOMENT))


def test_the_tag_renders_in_a_template():
    html = Template("{% load saylau_pages %}{% local_time t %}").render(Context({"t": MOMENT_MS}))
    assert "01:10:05" in html and "Asia/Almaty" in html


NAMES = {"kk": "Алматы қаласы", "ru": "город Алматы", "en": "Almaty city"}


def test_names_in_the_page_language_with_fallbacks(settings):
    settings.LANGUAGE_CODE = "kk"
    assert in_language(NAMES, "ru") == "город Алматы"
    assert in_language(NAMES, "ru-RU") == "город Алматы"
    assert in_language({"kk": "Алматы", "en": "Almaty"}, "ru") == "Алматы"  # the site's default
    assert in_language({"en": "Almaty", "de": "x"}, "ru") == "Almaty"  # then English
    assert in_language({"de": "Almaty"}, "ru") == "Almaty"  # then any
    assert in_language({"ru": " "}, "ru", fallback="KZ-75") == "KZ-75"  # never a blank name
    assert in_language(None, "ru", fallback="KZ-75") == "KZ-75"


def test_the_title_in_the_page_language():
    class Election:
        slug = "p-2026"
        manifest = {"title": {"kk": "Праймериз", "ru": "Праймериз партии", "en": "Primaries"}}

    for language, title in [("kk", "Праймериз"), ("ru", "Праймериз партии"), ("en", "Primaries")]:
        with translation.override(language):
            assert title_of(Election()) == title
    Election.manifest = {}
    assert title_of(Election()) == "p-2026"


class _Form(forms.Form):
    plain = forms.CharField()
    helped = forms.CharField(help_text="Twelve digits.")


def test_a_field_is_described_by_exactly_what_the_template_shows():
    fresh = _Form()
    assert "aria-describedby" not in described_widget(fresh["plain"])
    assert 'aria-describedby="id_helped_helptext"' in described_widget(fresh["helped"])
    bound = _Form({"plain": "", "helped": ""})
    assert bound.errors
    plain = described_widget(bound["plain"])
    assert 'aria-describedby="id_plain_error"' in plain and 'aria-invalid="true"' in plain
    helped = described_widget(bound["helped"])
    assert 'aria-describedby="id_helped_helptext id_helped_error"' in helped
