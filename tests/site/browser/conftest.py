"""Real Chromium (Debian's /usr/bin/chromium, driven by Playwright) against the app on a real
loopback server (pytest-django's live_server), at a 360 × 740 phone viewport."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 360, "height": 740}

#: Collects every CSP violation the page reports (the init script runs outside the page's CSP).
WATCH_CSP = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__csp.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' ' + e.sourceFile);
});
"""


@pytest.fixture(autouse=True)
def site_settings(settings) -> None:
    """The live server's host names and the test client's; the code's SMS sent inline."""
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1", "testserver"]
    settings.SAYLAU_OTP_SMS_MODE = "inline"


@pytest.fixture
def phone(live_server) -> Iterator[Any]:
    """A fresh Chromium page at 360 × 740; CSP violations (console) and script errors are
    recorded in `page.problems`.

    Started per test, after the test database is set up, and stopped before it is torn
    down: Playwright's sync API keeps an event loop on this thread while it runs, and
    Django then hands out another connection object (without the serialized data the
    teardown needs). The ORM calls the test makes meanwhile are not made from that loop,
    so they are safe."""
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing: `make debs` installs Debian's chromium")
    from playwright.sync_api import sync_playwright

    with pytest.MonkeyPatch.context() as patch, sync_playwright() as p:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        context = browser.new_context(viewport=VIEWPORT, device_scale_factor=1, is_mobile=True)
        context.set_default_timeout(10_000)
        context.add_init_script(WATCH_CSP)
        page = context.new_page()
        page.problems = []

        def on_console(message: Any) -> None:
            if "Content Security Policy" in message.text:
                page.problems.append(f"console: {message.text}")

        page.on("console", on_console)
        page.on("pageerror", lambda error: page.problems.append(f"script error: {error}"))
        page.base = live_server.url
        yield page
        context.close()
        browser.close()


@pytest.fixture(scope="module")
def module_browser() -> Iterator[Any]:
    """One Chromium for a whole test module, on a thread of its own (remote.py says why)."""
    if shutil.which(CHROMIUM) is None:
        pytest.fail(f"{CHROMIUM} is missing: `make debs` installs Debian's chromium")
    from tests.site.browser.remote import remote_browser

    with remote_browser(CHROMIUM, ARGS) as browser:
        yield browser


@pytest.fixture
def tab(module_browser, live_server) -> Iterator[Any]:
    """As `phone`, in a fresh context of the module's Chromium (cookies, storage, permissions
    and routes are the test's own)."""
    context = module_browser.new_context(viewport=VIEWPORT, device_scale_factor=1, is_mobile=True)
    context.set_default_timeout(10_000)
    context.add_init_script(WATCH_CSP)
    page = context.new_page()
    problems: list[str] = []
    page.problems = problems

    def on_console(message: Any) -> None:
        if "Content Security Policy" in message.text:
            problems.append(f"console: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.base = live_server.url
    yield page
    context.close()
