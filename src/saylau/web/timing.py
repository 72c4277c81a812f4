"""Server-Timing (W3C) for measuring the app under load: with ``SAYLAU_SERVER_TIMING=1``
every response says how much CPU its request took in this process (``app``) and in named
parts of it (``verify``: the ballot's proofs), in milliseconds of CPU time of the thread:

    Server-Timing: app;dur=9.812, verify;dur=6.903

Off by default: the figures are for benchmarks (`saylau bench load` turns it on) and say
nothing secret, but a production server has no use for them.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.http import HttpRequest, HttpResponse

_local = threading.local()


@contextmanager
def part(name: str) -> Iterator[None]:
    """Count the CPU time of the block under `name` (nothing if timing is off)."""
    parts: dict[str, float] | None = getattr(_local, "parts", None)
    if parts is None:
        yield
        return
    started = time.thread_time()
    try:
        yield
    finally:
        parts[name] = parts.get(name, 0.0) + time.thread_time() - started


def enabled() -> bool:
    return bool(getattr(settings, "SAYLAU_SERVER_TIMING", False))


class ServerTimingMiddleware:
    """First in the middleware (when enabled), so ``app`` covers all of Django's work."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        parts: dict[str, float] = {}
        _local.parts = parts
        started = time.thread_time()
        try:
            response = self.get_response(request)
        finally:
            _local.parts = None
        total = time.thread_time() - started
        response["Server-Timing"] = ", ".join(
            f"{name};dur={seconds * 1e3:.3f}" for name, seconds in {"app": total, **parts}.items()
        )
        return response
