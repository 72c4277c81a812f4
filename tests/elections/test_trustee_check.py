"""`saylau trustee decrypt` checks the public board before computing any decryption share
(protocol.tally_check, docs/protocol.md §10.6): an honest server's sums are decrypted as
before; a server that offers anything but the sums of the ballots that count on the closed,
signed board gets a named refusal, and nothing is sent.

The trustee's real client (saylau.client.seat.SeatClient) talks to the site's real WSGI
application in this process (Django's test client behind the Connection's interface, which
also records every request);
the election runs on the voting app's real board. A dishonest server is played by changing
its database: the tally's sums, a leaf's bytes, the board key, the board state.
"""

from __future__ import annotations

import hashlib
import json

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client as DjangoClient

from saylau import i18n, trustee
from saylau.client.http import Headers, Response
from saylau.client.seat import SeatClient
from saylau.crypto.errors import InvalidTreeHead
from saylau.crypto.rand import DeterministicRng
from saylau.elections import services
from saylau.elections.models import Election, RelayedMessage, Status, Tally
from saylau.protocol.ballot import encrypt_ballot
from saylau.protocol.canonical import canonical_json
from saylau.protocol.credentials import derive
from saylau.protocol.errors import BoardForked, BoardMismatch, BoardNotClosed, SumsMismatch
from saylau.protocol.manifest import manifest_from_json
from saylau.protocol.tally import aggregate, sums_to_json
from saylau.voting import services as voting
from saylau.voting.models import BoardState, Leaf
from tests.elections.conftest import SLUG, close_roll, through_stage

pytestmark = pytest.mark.django_db
ROLL = {"KZ-75": 3, "KZ-71": 2}
SHARES = RelayedMessage.Kind.DECRYPTION_SHARES


class InProcess:
    """The site's WSGI application in this process, behind `saylau.client.http.Connection`'s
    interface (through Django's test client); keeps (method, path) of every request."""

    def __init__(self, base_url: str, *, timeout: float, headers: dict[str, str]) -> None:
        self.client = DjangoClient(
            HTTP_AUTHORIZATION=headers["Authorization"],
            HTTP_ACCEPT_LANGUAGE=headers["Accept-Language"],
        )
        self.requests: list[tuple[str, str]] = []

    def request(self, method, path, *, params=None, json=None, content=None, headers=None):
        self.requests.append((method, path))
        if method == "GET":
            answer = self.client.get(path, params or {})
        else:
            answer = self.client.post(path, json, content_type="application/json")
        body = b"".join(answer.streaming_content) if answer.streaming else answer.content
        return Response(answer.status_code, "", Headers(list(answer.items())), body)

    def lines(self, path, *, params=None, headers=None):
        whole = self.request("GET", path, params=params)
        if not 200 <= whole.status_code < 300:
            return whole, iter(())
        rows = whole.content.split(b"\n")
        return Response(whole.status_code, "", whole.headers, b""), iter(
            rows[:-1] if rows[-1] == b"" else rows
        )

    def close(self) -> None:
        pass


@pytest.fixture
def transport(settings):
    """Requests run inside the test's transaction: Django must not close the connection
    at the end of each request (the test client does the same)."""
    settings.ALLOWED_HOSTS = ["testserver"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    made: list[InProcess] = []

    def connect(base_url, *, timeout, headers):
        made.append(InProcess(base_url, timeout=timeout, headers=headers))
        return made[-1]

    connect.requests = lambda: [r for c in made for r in c.requests]
    yield connect
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def cast(election, row, choice: int, seed: str):
    """Cast through the voting app: one mark per contest, on option `choice` (modulo)."""
    ctx = services.election_context(election)
    selections = {
        c.id: [int(j == choice % len(c.options)) for j in range(len(c.options))]
        for c in ctx.manifest.contests_for(row["district"])
    }
    credential = derive(election.slug, row["code"])
    ballot = encrypt_ballot(ctx, row["district"], selections, credential, DeterministicRng(seed))
    voting.cast_ballot(election, row["member"], ballot.raw)
    return ballot, selections


def expected_counts(election, final: dict) -> dict:
    manifest = services.election_context(election).manifest
    out: dict = {}
    for district, selections in final.values():
        for contest in manifest.contests_for(district):
            counts = out.setdefault(district, {}).setdefault(contest.id, {})
            for option, mark in zip(contest.options, selections[contest.id], strict=True):
                counts[option.id] = counts.get(option.id, 0) + mark
    return out


def open_with_ballots(election):
    """Five voters on the real board; the first re-votes (its first ballot is replaced)."""
    tokens = {t.index: t.token for t in election.issued_tokens}
    close_roll(SLUG, ROLL)
    election, info = through_stage(election, Status.CREDENTIALS_ISSUED)
    election = services.transition(election, Status.OPEN, actor="test")
    final, ballots = {}, {}
    for k, row in enumerate(info["ca"].credentials):
        ballots[k], selections = cast(election, row, k, f"v{k}")
        final[row["member"]] = (row["district"], selections)
    first = info["ca"].credentials[0]
    replaced = ballots[0]
    replacing, selections = cast(election, first, 1, "revote")
    final[first["member"]] = (first["district"], selections)
    return election, {
        **info,
        "tokens": tokens,
        "replaced": replaced,
        "replacing": replacing,
        "expected": expected_counts(election, final),
    }


@pytest.fixture
def closed(election, transport):
    election, info = open_with_ballots(election)
    election = services.transition(election, Status.CLOSED, actor="test")
    services.prepare_tally(election, actor="test")
    return election, info


def decrypt(info, j, transport, workers=1, seen=None):
    kf, path = info["keyfiles"][j]
    token = info["tokens"][j]
    with SeatClient("http://testserver", SLUG, token, lang="en", connect=transport) as c:
        manifest = c.get("")["manifest"]
        return trustee.decrypt(
            c, kf, path, manifest, DeterministicRng(f"d{j}"), workers=workers, seen=seen
        )


def refused(info, transport, problem: type[Exception], seen=None) -> trustee.BoardCheckFailed:
    """Trustee 1 refuses with `problem`, having computed and sent nothing."""
    with pytest.raises(trustee.BoardCheckFailed) as caught:
        decrypt(info, 1, transport, seen=seen)
    assert isinstance(caught.value.problem, problem), caught.value.problem
    assert "Nothing was decrypted and nothing was sent." in str(caught.value)
    assert not [r for r in transport.requests() if r[0] != "GET"]
    assert not RelayedMessage.objects.filter(kind=SHARES).exists()
    kf, path = info["keyfiles"][1]
    assert not kf.decrypted and not json.loads(path.read_text())["decrypted"]
    return caught.value


def counted_ballots(election):
    return list(voting.counted_ballots(election))


def offer(election, ballots, *, keep_counts: bool = False) -> None:
    """The dishonest server: the tally's sums (and, unless `keep_counts`, its numbers of
    ballots per district) become those of `ballots`."""
    agg = aggregate(manifest_from_json(election.manifest), ballots)
    changes = {"sums": sums_to_json(agg.sums)} | ({} if keep_counts else {"counts": agg.counts})
    Tally.objects.filter(election=election).update(**changes)


def test_an_honest_board_is_checked_and_decrypted(closed, transport):
    election, info = closed
    done = decrypt(info, 1, transport, workers=2)  # the ballots checked in two processes
    assert done.shares == 18
    assert (done.board.leaves, done.board.ballots, done.board.counted) == (8, 6, 5)
    assert done.board.head.tree_size == 8
    paths = [p for _m, p in transport.requests()]
    assert f"/api/voting/{SLUG}/board/leaves.jsonl" in paths
    assert paths[-1] == f"/api/elections/{SLUG}/tally/shares"
    assert decrypt(info, 3, transport).shares == 18
    election = services.transition(election, Status.TALLIED, actor="test")
    results = services.election_results(election)
    for district, contests in info["expected"].items():
        assert results["districts"][district]["contests"] == contests
    assert election.tally.document["trustees"] == [1, 3]


def test_one_ballot_offered_as_the_sum_is_refused(closed, transport):
    election, info = closed
    victim = counted_ballots(election)[2]
    offer(election, [victim], keep_counts=True)  # the honest numbers of ballots, as a decoy
    error = refused(info, transport, SumsMismatch)
    assert "is not the sum of the counted ballots" in str(error)


def test_the_same_attack_is_refused_in_kazakh_and_russian(closed, transport, monkeypatch):
    election, info = closed
    offer(election, [counted_ballots(election)[0]])
    for lang, words in (("kk", "ештеңе жіберілмеді"), ("ru", "ничего не отправлено")):
        monkeypatch.setattr(i18n, "_current", i18n.translation(lang))
        with pytest.raises(trustee.BoardCheckFailed) as caught:
            decrypt(info, 1, transport)
        assert words in str(caught.value).lower()


def test_a_sum_without_one_ballot_is_refused(closed, transport):
    election, info = closed
    offer(election, counted_ballots(election)[1:])
    error = refused(info, transport, SumsMismatch)
    assert "ballots claimed" in str(error)


def test_a_sum_counting_the_replaced_ballot_is_refused(closed, transport):
    election, info = closed
    replacing = info["replacing"].tracking_code
    swapped = [
        info["replaced"] if b.tracking_code == replacing else b for b in counted_ballots(election)
    ]
    offer(election, swapped)  # same number of ballots per district: only a ciphertext differs
    error = refused(info, transport, SumsMismatch)
    assert "not the sum of the counted ballots" in str(error)


def test_a_changed_leaf_does_not_match_the_signed_head(closed, transport):
    election, info = closed
    leaf = Leaf.objects.get(election=election, index=2)
    event = json.loads(bytes(leaf.data))
    event["time"] += 1
    Leaf.objects.filter(pk=leaf.pk).update(data=canonical_json(event))
    error = refused(info, transport, BoardMismatch)
    assert "root" in str(error)


def test_a_head_signed_with_another_key_is_refused(closed, transport, monkeypatch):
    _election, info = closed
    monkeypatch.setenv("SAYLAU_BOARD_SEED_PRIMARIES_2026", "11" * 32)
    refused(info, transport, InvalidTreeHead)


def test_an_open_board_is_not_decrypted(election, transport):
    election, info = open_with_ballots(election)
    # The dishonest server sums the ballots so far, with voting still open.
    agg = aggregate(manifest_from_json(election.manifest), counted_ballots(election))
    Tally.objects.create(election=election, sums=sums_to_json(agg.sums), counts=agg.counts)
    refused(info, transport, BoardNotClosed)
    # …and claims the board is closed: its signed head is valid, but no 'close' leaf.
    BoardState.objects.filter(election=election).update(closed=True)
    error = refused(info, transport, BoardNotClosed)
    assert "no 'close' leaf" in str(error)
    assert Election.objects.get(pk=election.pk).status == Status.OPEN


# --- heads seen elsewhere (--expect-head): a board shown to trustees only is a fork ---------


def test_a_head_a_voter_saw_is_extended(closed, transport):
    election, info = closed
    earlier = Leaf.objects.get(election=election, index=3)  # a receipt's head: size 4
    done = decrypt(info, 1, transport, seen={4: bytes(earlier.root_hash)})
    assert done.shares == 18


def test_a_board_that_forks_from_a_head_seen_is_refused(closed, transport):
    _election, info = closed
    voters_head = hashlib.sha256(b"the root of the board the voters were shown").digest()
    error = refused(info, transport, BoardForked, seen={4: voters_head})
    assert "a fork" in str(error) and voters_head.hex() in str(error)


def test_a_head_seen_longer_than_the_board_is_refused(closed, transport):
    election, info = closed
    last = Leaf.objects.filter(election=election).order_by("-index").first()
    error = refused(info, transport, BoardForked, seen={9: bytes(last.root_hash)})
    assert "size 9" in str(error) and "8 leaves" in str(error)


@pytest.mark.parametrize(
    ("lang", "words"),
    [("ru", "укажите РАЗМЕР:КОРЕНЬ"), ("kk", "ӨЛШЕМ:ТҮБІР"), ("en", "write SIZE:ROOT")],
)
def test_a_malformed_expected_head_is_refused_before_anything(tmp_path, lang, words):
    from typer.testing import CliRunner

    from saylau.cli import trustee as trustee_cli

    for bad in ("4", "x:" + "ab" * 32, "4:" + "AB" * 32, "4:" + "ab" * 31, "0:" + "ab" * 32):
        result = CliRunner().invoke(
            trustee_cli.app,
            [
                "decrypt",
                "--keyfile",
                str(tmp_path / "none.json"),
                "--expect-head",
                bad,
                "--lang",
                lang,
            ],
        )
        assert result.exit_code != 0
        assert words in " ".join(result.output.split()), result.output
