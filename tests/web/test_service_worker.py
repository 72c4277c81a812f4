"""Both phone pages' service workers are served with a scope header and no stale cache; a
worker that was never built is a 404, not a server error."""

from __future__ import annotations

import pytest
from django.http import Http404

from saylau.web.service_worker import worker_response


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/observe-sw.js", "/exitpoll-sw.js"])
def test_each_worker_is_served_with_its_scope_header(client, path):
    answer = client.get(path)
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("text/javascript")
    assert answer["Service-Worker-Allowed"] == "/" and answer["Cache-Control"] == "no-cache"
    assert b"fetch" in answer.content


def test_a_worker_never_built_is_not_found():
    with pytest.raises(Http404):
        worker_response("saylau_site/js/no-such-worker.js")
