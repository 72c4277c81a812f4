"""Voter and public pages: the sign-in forms, the board, counts, results."""

from __future__ import annotations

import pytest

from saylau.voting.models import Challenge, SignInGuard, VoterSession
from tests.voting.helpers import last_code

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_sign_in_pages(world, client, language):
    voter = world.voters[0]
    slug = world.election.slug
    page = client.get(f"/{language}/vote/{slug}/")
    assert page.status_code == 200
    response = client.post(
        f"/{language}/vote/{slug}/",
        {"iin": voter.iin, "phone": voter.phone},
        REMOTE_ADDR="10.1.0.1",
    )
    assert response.status_code == 302 and response["Location"].endswith("/code/")
    page = client.get(response["Location"])
    assert page.status_code == 200
    wrong = "000000" if last_code() != "000000" else "111111"
    page = client.post(f"/{language}/vote/{slug}/code/", {"code": wrong}, REMOTE_ADDR="10.1.0.1")
    assert page.status_code == 400
    assert SignInGuard.objects.get().failures == 1  # the failed try is kept
    response = client.post(
        f"/{language}/vote/{slug}/code/", {"code": last_code()}, REMOTE_ADDR="10.1.0.1"
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert VoterSession.objects.count() == 1
    response = client.post(f"/{language}/vote/{slug}/sign-out/")
    assert response.status_code == 302 and VoterSession.objects.count() == 0


def test_sign_in_form_errors_change_nothing(world, client):
    slug = world.election.slug
    page = client.post(f"/en/vote/{slug}/", {"iin": "123", "phone": "+77011234567"})
    assert page.status_code == 422
    assert b"12 digits" in page.content
    assert Challenge.objects.count() == 0 and SignInGuard.objects.count() == 0
    assert client.get(f"/en/vote/{slug}/code/").status_code == 302  # no challenge yet
    assert client.get(f"/en/vote/{slug}/signed-in/").status_code == 302
    assert client.get("/en/vote/no-such-election/").status_code == 404


def test_board_pages(world, api, client):
    voter = world.voters[0]
    token = api.sign_in(voter)
    ballot = world.ballot(voter)
    api.cast(ballot, token)
    slug = world.election.slug
    for language in ("kk", "ru", "en"):
        page = client.get(f"/{language}/board/{slug}/")
        assert page.status_code == 200
        assert ballot.tracking_code.encode() in page.content
    page = client.get(f"/en/board/{slug}/", {"code": ballot.tracking_code})
    assert page.status_code == 200 and b"leaf 1 of 2" in page.content
    page = client.get(f"/en/board/{slug}/", {"code": "ab" * 32})
    assert b"No ballot with this tracking code" in page.content
    page = client.get(f"/en/board/{slug}/", {"code": "nonsense"})
    assert b"64 characters" in page.content
    page = client.get(f"/en/board/{slug}/counts/")
    assert page.status_code == 200 and b"KZ-75" in page.content
    page = client.get(f"/en/board/{slug}/results/")
    assert page.status_code == 409 and "at the stage “open”".encode() in page.content


def test_a_ballot_appended_after_the_pages_head_is_found_in_a_newer_one(
    world, api, client, monkeypatch
):
    """The board page reads its head first; a ballot looked up that came in after that read
    is shown in the head now, not refused (its leaf lies beyond the older head)."""
    from saylau.board import services as board

    voter = world.voters[0]
    ballot = world.ballot(voter)
    api.cast(ballot, api.sign_in(voter))
    real, calls = board.info, []

    def older_first(election):
        calls.append(1)
        now = real(election)
        if len(calls) > 1:
            return now
        return board.BoardInfo(now.size - 1, now.closed, board.head_at(election, now.size - 1))

    monkeypatch.setattr(board, "info", older_first)
    page = client.get(f"/en/board/{world.election.slug}/", {"code": ballot.tracking_code})
    assert page.status_code == 200 and b"leaf 1 of 2" in page.content
    assert len(calls) == 2


def test_public_api(world, api):
    info = api.get("").json()
    assert info["fingerprint"] == world.ctx.fingerprint.hex()
    assert info["manifest"]["election_id"] == world.election.slug
    counts = api.get("/counts").json()
    assert counts["roll_closed"] is True
    assert {d["code"]: (d["roll"], d["credentials"]) for d in counts["districts"]} == {
        "KZ-75": (3, 3),
        "KZ-71": (3, 3),
    }
    leaves = api.get("/board/leaves").json()
    assert leaves["size"] == 1 and leaves["leaves"][0]["kind"] == "open"
    assert api.get("/board/leaves", QUERY_STRING="limit=100000").status_code == 422
    assert api.get("/board/heads").json() == []
    assert api.get("/board/ballots/" + "ab" * 32).status_code == 404
    assert api.get("/board/consistency", QUERY_STRING="old=5").status_code == 409
    answer = api.get("/results")
    assert answer.status_code == 409 and answer.json()["error"]["code"] == "results.not_ready"
    assert api.get("/record").status_code == 404
    assert api.client.get("/api/voting/nope/board").status_code == 404


def test_results_and_record_once_available(world, api, client, monkeypatch, tmp_path):
    import zipfile

    from saylau.elections import services as elections

    results = {
        "schema": "saylau-results/1",
        "districts": {"KZ-75": {"ballots_counted": 2, "contests": {"KZ-75-mazhilis": {"a": 2}}}},
    }
    archive = tmp_path / "primaries-test-record.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("results.json", "{}")
    monkeypatch.setattr(elections, "election_results", lambda election: results, raising=False)
    monkeypatch.setattr(elections, "record_path", lambda election: archive, raising=False)
    assert api.get("/results").json() == results
    response = api.get("/record")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == archive.read_bytes()
    page = client.get(f"/en/board/{world.election.slug}/results/")
    # the manifest's names, not its ids ("a" is not in the manifest: its id is shown)
    assert page.status_code == 200 and b"KZ-75 Mazhilis" in page.content
    assert b"District KZ-75" in page.content and b"KZ-75-mazhilis" not in page.content
    page = client.get(f"/en/board/{world.election.slug}/counts/")
    assert b"Download the election record" in page.content


def test_an_overloaded_database_answers_503_not_500(world, client, monkeypatch):
    from django.db import OperationalError

    from saylau.board import services as board

    def overloaded(election):
        raise OperationalError("too many connections for role 900101300007")

    monkeypatch.setattr(board, "info", overloaded)
    page = client.get(f"/en/board/{world.election.slug}/")
    assert page.status_code == 503 and int(page["Retry-After"]) > 0
    assert b"900101300007" not in page.content
    response = client.get(f"/api/voting/{world.election.slug}/board")
    assert response.status_code == 503 and response.json()["error"]["code"] == "unavailable"


def test_leaves_in_bulk_are_the_records_lines(world, api):
    from saylau.protocol.board import MerkleLog
    from saylau.voting import services

    election = world.election
    for k, voter in enumerate(world.voters[:3]):
        services.cast_ballot(election, voter.member_id, world.ballot(voter, k % 3).raw)
    stored = list(services.board_leaves(election))
    assert len(stored) == 4

    def lines(query: str) -> list[bytes]:
        response = api.get("/board/leaves.jsonl", QUERY_STRING=query)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/jsonl"
        body = b"".join(response.streaming_content)
        assert body == b"" or body.endswith(b"\n")
        return body.splitlines()

    everything = lines("")
    assert everything == stored
    assert lines("start=1&limit=2") == stored[1:3]
    assert lines("start=3&limit=10") == stored[3:]
    assert lines("start=4") == []
    log = MerkleLog()
    for line in everything:
        log.append(line)
    assert log.root().hex() == api.get("/board").json()["tree_head"]["root_hash"]
    assert api.get("/board/leaves.jsonl", QUERY_STRING="limit=10001").status_code == 422
    assert api.get("/board/leaves.jsonl", QUERY_STRING="start=-1").status_code == 422
    assert api.client.get("/api/voting/nope/board/leaves.jsonl").status_code == 404


def test_the_credential_list_once_final(world, api):
    from saylau.elections.models import Election

    document = api.get("/credentials").json()
    assert document["schema"] == "saylau-credentials/1"
    assert document["districts"] == {d: sorted(c) for d, c in world.credentials.items()}
    Election.objects.filter(pk=world.election.pk).update(status="keys_ready")
    response = api.get("/credentials", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 404
    assert "not final yet" in response.json()["error"]["message"]
