"""Playwright on a thread of its own, so that one Chromium serves a whole test module.

Playwright's sync API keeps an event loop on the thread that starts it, and Django, seeing a
running loop, then hands that thread other connection objects (decision 0022): a browser kept
across tests on the test thread breaks the database's set-up and teardown between them. Here
the browser lives on one worker thread, and every call the test makes is run there (`Remote`
forwards attributes and calls, and wraps the Playwright objects they return). The test thread
never has a loop, so its ORM calls and pytest-django's fixtures are undisturbed.

Callbacks (page.route handlers, page.on listeners) run on the browser's thread, as Playwright
calls them; they must not use the ORM.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any


class Remote:
    """A Playwright object on the browser's thread; plain values come back as they are.
    Attributes set on it (page.base, page.problems) stay on this side."""

    def __init__(self, pool: ThreadPoolExecutor, target: Any) -> None:
        object.__setattr__(self, "_pool", pool)
        object.__setattr__(self, "_target", target)

    def _run(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        args = tuple(unwrap(a) for a in args)
        kwargs = {k: unwrap(v) for k, v in kwargs.items()}
        return self._wrap(self._pool.submit(fn, *args, **kwargs).result())

    def _wrap(self, value: Any) -> Any:
        if type(value).__module__.startswith("playwright.") and not isinstance(value, Exception):
            return Remote(self._pool, value)
        return value

    def __getattr__(self, name: str) -> Any:
        value = self._pool.submit(getattr, self._target, name).result()
        if callable(value) and not type(value).__module__.startswith("playwright."):
            return lambda *args, **kwargs: self._run(value, *args, **kwargs)
        return self._wrap(value)

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)

    def __enter__(self) -> Any:
        return self._run(self._target.__enter__)

    def __exit__(self, *exc: Any) -> Any:
        return self._run(self._target.__exit__, *exc)

    def __repr__(self) -> str:
        return f"Remote({self._target!r})"


def unwrap(value: Any) -> Any:
    return object.__getattribute__(value, "_target") if isinstance(value, Remote) else value


@contextmanager
def remote_browser(executable: str, args: list[str]) -> Iterator[Remote]:
    """Chromium, started on a worker thread; yields it as a Remote."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="playwright")

    def start() -> tuple[Any, Any]:
        from playwright.sync_api import sync_playwright

        playwright = sync_playwright().start()
        return playwright, playwright.chromium.launch(executable_path=executable, args=args)

    playwright, browser = pool.submit(start).result()
    try:
        yield Remote(pool, browser)
    finally:
        pool.submit(browser.close).result()
        pool.submit(playwright.stop).result()
        pool.shutdown()
