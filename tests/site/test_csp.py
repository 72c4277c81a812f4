"""Every URL pattern that answers with HTML carries the strict Content-Security-Policy, and
no template holds an inline script, style or event handler that the policy would block."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation
from tests.site.pages_world import page_world

from saylau.site.csp import POLICY

pytestmark = pytest.mark.django_db

PACKAGE = Path(__file__).resolve().parents[2] / "src" / "saylau"


#: What fills each kind of URL parameter (the world's election, a real static file, …).
def parameters(slug: str, member_pk: int) -> dict[str, str]:
    return {
        "slug": slug,
        "election": slug,
        "path": "saylau_site/site.css",
        "object_id": str(member_pk),
        "app_label": "registry",
        "content_type_id": "1",
        "url": "no-such-page",
    }


def named_patterns(
    patterns: list[URLPattern | URLResolver], namespace: str = ""
) -> list[tuple[str, list[str]]]:
    """(name to reverse, its parameters) of every named URL pattern, admin's and the API's too."""
    found = []
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            found += named_patterns(entry.url_patterns, inner)
        elif entry.name:
            found.append((namespace + entry.name, list(entry.pattern.regex.groupindex)))
    return found


def test_the_policy_is_strict():
    directives = dict(d.strip().split(" ", 1) for d in POLICY.split(";"))
    assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'" and directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe" not in POLICY


def test_every_html_page_has_the_policy(members, admin_client, settings):
    settings.ALLOWED_HOSTS = ["testserver"]
    world = page_world(members)
    member = world.voters[0].member_id
    values = parameters(world.election.slug, member)
    html, urls = [], set()
    for name, groups in named_patterns(get_resolver().url_patterns):
        kwargs = {g: values.get(g, "1") for g in groups}
        for language in ("kk", "ru", "en"):
            with translation.override(language):
                url = reverse(name, kwargs=kwargs)
            if url in urls:
                continue  # not under a language prefix (the API, admin)
            urls.add(url)
            response = admin_client.get(url)
            if response.get("Content-Type", "").startswith("text/html"):
                html.append(url)
                assert response.get("Content-Security-Policy") == POLICY, url
    # the site's own pages, each in three languages, and the admin's
    for page in ("/en/", "/kk/vote/", "/ru/board/", "/en/roll/", "/admin/registry/", "/api/docs"):
        assert any(url.startswith(page) for url in html), page
    assert len(html) > 60, html


@pytest.mark.parametrize(
    "url",
    ["/en/no-such-page/", "/en/vote/no-such-election/", "/static/no-such-file.css", "/api/health"],
)
def test_error_pages_and_the_api_have_the_policy_too(client, url):
    assert client.get(url)["Content-Security-Policy"] == POLICY


def test_the_stylesheet_is_served_by_the_site(client):
    response = client.get("/static/saylau_site/site.css")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/css")
    assert b".table-scroll" in b"".join(response.streaming_content)


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline script"),
    (re.compile(r"<style", re.I), "inline style sheet"),
    (re.compile(r"\sstyle=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "inline event handler"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]


@pytest.mark.parametrize("template", sorted(PACKAGE.glob("*/templates/**/*.html")), ids=str)
def test_no_template_holds_what_the_policy_blocks(template):
    text = template.read_text(encoding="utf-8")
    for pattern, what in INLINE:
        assert not pattern.search(text), f"{template.relative_to(PACKAGE)}: {what}"
