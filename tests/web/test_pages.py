"""web.pages.user_page: a signed-out visitor is sent to the app's sign-in; a refusal is its
error page (403/404 kept, else 400), and what the view wrote before it is undone unless the
refusal is itself the record (keep_changes)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.db import transaction
from django.test import RequestFactory

from saylau.errors import UserError
from saylau.web.non_atomic import mark_request
from saylau.web.pages import user_page

pytestmark = pytest.mark.django_db


class Kept(UserError):
    keep_changes = True


class Forbidden(UserError):
    status = 403


def _request():
    request = RequestFactory().get("/en/observe/")
    request.user = AnonymousUser()
    request.LANGUAGE_CODE = "en"
    return request


def _writes_then_refuses(error):
    def view(request):
        Group.objects.create(name="written-before-the-refusal")
        raise error

    return user_page(None)(view)


@pytest.mark.parametrize(("error", "kept"), [(UserError("no"), False), (Kept("counted"), True)])
def test_a_refusal_undoes_the_views_writes_unless_they_are_the_record(error, kept):
    with transaction.atomic():  # as ATOMIC_REQUESTS wraps a view
        answer = _writes_then_refuses(error)(_request())
    assert answer.status_code == 400
    assert Group.objects.filter(name="written-before-the-refusal").exists() is kept


def test_a_403_stays_a_403_and_signed_out_visitors_go_to_the_sign_in():
    with transaction.atomic():
        assert _writes_then_refuses(Forbidden("not yours"))(_request()).status_code == 403
    answer = user_page("observation:login")(lambda request: None)(_request())
    assert answer.status_code == 302 and "/observe/login/" in answer["Location"]


def test_a_non_atomic_views_refusal_leaves_the_enclosing_block_alone():
    """A view outside the request's transaction (analysis, the paper's settle) runs in
    whatever block encloses it — here a test's: marking that block for rollback would break
    every query after it."""
    request = _request()
    mark_request(request)
    with transaction.atomic():
        assert _writes_then_refuses(UserError("no"))(request).status_code == 400
        assert Group.objects.filter(name="written-before-the-refusal").exists()
