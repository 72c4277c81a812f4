"""API operations that run outside the request's transaction (decision 0010).

ATOMIC_REQUESTS wraps every view in one transaction that commits when the view returns.
An operation marked `@non_atomic` opens its own, shorter transactions instead — the cast
commits its leaf (and releases the board lock, where it took one) before it builds and
serialises the receipt, not after. Such an operation must make each of its writes atomic
itself: inside a `transaction.atomic()` block, or as one statement.

ninja builds one Django view per path (a PathView serving every method of it), so the mark
goes on that view when every operation of the path is marked; `mark_views` does it on the
API's URL patterns and refuses a path that mixes marked and unmarked operations.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured
from django.db import DEFAULT_DB_ALIAS, transaction
from django.http import HttpRequest
from django.urls import URLPattern
from ninja.operation import PathView

F = TypeVar("F", bound=Callable[..., Any])
_MARK = "_saylau_non_atomic"


def non_atomic(view: F) -> F:
    """Mark an API operation's function (put it under the router's decorator)."""
    setattr(view, _MARK, True)
    return view


def _path_view(callback: Callable[..., Any]) -> PathView | None:
    for cell in getattr(callback, "__closure__", None) or ():
        if isinstance(cell.cell_contents, PathView):
            return cell.cell_contents
    return None


def mark_views(patterns: Iterable[Any]) -> None:
    """Set Django's `_non_atomic_requests` on the views of the marked operations."""
    for pattern in patterns:
        if not isinstance(pattern, URLPattern):
            continue
        path_view = _path_view(pattern.callback)
        if path_view is None:
            continue
        marks = {bool(getattr(op.view_func, _MARK, False)) for op in path_view.operations}
        if marks == {True}:
            pattern.callback._non_atomic_requests = {DEFAULT_DB_ALIAS}  # type: ignore[attr-defined]
        elif len(marks) > 1:
            raise ImproperlyConfigured(
                f"/{pattern.pattern}: a path's operations must all be @non_atomic or none"
            )


_REQUEST_MARK = "_saylau_non_atomic_request"


def mark_request(request: HttpRequest) -> None:
    """For a request served without URL resolving (the cast's short way, voting.shortcut):
    its operation is @non_atomic, and no transaction of the request's wraps it."""
    setattr(request, _REQUEST_MARK, True)


def is_non_atomic(request: HttpRequest) -> bool:
    """Whether the request's operation runs outside the request's transaction: marked by
    `mark_request`, or its URL's view marked by `mark_views`."""
    if getattr(request, _REQUEST_MARK, False):
        return True
    match = getattr(request, "resolver_match", None)
    return match is not None and bool(getattr(match.func, "_non_atomic_requests", None))


def undo_writes(request: HttpRequest) -> None:
    """Undo what a refused request wrote (ATOMIC_REQUESTS is on). A non-atomic view's own
    atomic blocks have rolled back already; the block it runs in, if any, is not the
    request's (a test's, say), so it is left alone."""
    if is_non_atomic(request):
        return
    if transaction.get_connection().in_atomic_block:
        transaction.set_rollback(True)
