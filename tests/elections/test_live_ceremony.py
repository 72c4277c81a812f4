"""The whole election over the real API, with the real `saylau trustee` and `saylau ca`
commands against a live server: key ceremony n=3, t=2 with a dealer who cheats (left out of
QUAL), credentials by SMS to the outbox, ballots on the voting app's board, decryption with
one trustee absent (each trustee downloads and checks the board first), publication, and the
universal verifier."""

from __future__ import annotations

import json
import random
import stat

import pytest
from typer.testing import CliRunner

from saylau.cli import ca as ca_cli
from saylau.cli import trustee as trustee_cli
from saylau.crypto import dkg
from saylau.elections import services
from saylau.elections.models import AuditEvent, Ceremony, Status
from saylau.notify.models import OutboxMessage
from saylau.record.verify import verify_record
from saylau.trustee import key_ceremony as trustee_ceremony
from tests.elections.conftest import SLUG, close_roll, vote

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
runner = CliRunner()


def cheating_deal(transport, n, t, keys, context, rng):
    """Dealer 3 sends trustee 1 a share that does not match its commitments."""
    secret, deal = dkg.deal(transport, n, t, keys, context, rng)
    if transport.trustee == 3:
        key_map = dkg.check_transport_keys(keys, n, context)
        deal = dkg._cheat(transport, secret, deal, key_map, context, rng)
    return secret, deal


def run(app, *args):
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return " ".join(result.output.split())  # rich wraps long lines (paths) at its width


def test_election_over_the_api(live_server, tmp_path, monkeypatch, manifest):
    members = close_roll(SLUG, {"KZ-75": 3, "KZ-71": 2})
    election = services.create_election(manifest, actor="test", trustees=3, threshold=2)
    tokens = {t.index: t.token for t in election.issued_tokens}
    election = services.transition(election, Status.ROLL_CLOSED, actor="test")

    keyfiles = {j: tmp_path / f"trustee-{j}.json" for j in (1, 2, 3)}
    for j, path in keyfiles.items():
        out = run(
            trustee_cli.app,
            "init",
            "--server",
            live_server.url,
            "--election",
            SLUG,
            "--index",
            j,
            "--token",
            tokens[j],
            "--keyfile",
            path,
            "--lang",
            "en",
        )
        assert f"trustee {j} of 3" in out
        assert stat.S_IMODE(path.stat().st_mode) == 0o600

    monkeypatch.setattr(trustee_ceremony, "make_deal", cheating_deal)
    for _round in range(4):
        for j, path in keyfiles.items():
            run(trustee_cli.app, "ceremony", "--keyfile", path, "--lang", "en")
    ceremony = Ceremony.objects.get(election=election)
    assert ceremony.phase == "complete"
    assert ceremony.qual == [1, 2]  # dealer 3 cheated: trustee 1's complaint was founded
    complaints = [
        e
        for e in AuditEvent.objects.filter(action="ceremony.accepted")
        if e.details["kind"] == "complaint"
    ]
    assert len(complaints) == 3
    status = run(trustee_cli.app, "status", "--keyfile", keyfiles[3], "--lang", "en")
    assert "Qualified dealers: [1, 2]" in status and "holds your key share" in status
    for path in keyfiles.values():
        assert json.loads(path.read_text())["secret_share"]

    election = services.transition(election, Status.KEYS_READY, actor="test")
    secrets = tmp_path / "ca-secrets.json"
    out = run(
        ca_cli.app,
        "issue",
        "--server",
        live_server.url,
        "--election",
        SLUG,
        "--token",
        tokens[0],
        "--out-secrets",
        secrets,
        "--sms",
        "outbox",
        "--lang",
        "en",
    )
    assert "Credentials: 5" in out
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o600
    sms = list(OutboxMessage.objects.all())
    assert sorted(m.to for m in sms) == sorted(m.phone for m in members)
    assert all("дауыс беру кодыңыз" in m.body for m in sms)  # Kazakh by default
    for event in AuditEvent.objects.all():
        text = json.dumps(event.details, ensure_ascii=False)
        assert not any(m.phone in text or m.iin in text for m in members)

    election = services.transition(election, Status.CREDENTIALS_ISSUED, actor="test")
    election = services.transition(election, Status.OPEN, actor="test")
    from saylau.ca.issue import SecretsFile

    expected = vote(election, SecretsFile.load(secrets), random.Random(3), voting_board=True)
    election = services.transition(election, Status.CLOSED, actor="test")
    services.prepare_tally(election, actor="test")
    for j in (1, 3):  # trustee 2 is absent; trustee 3, left out of QUAL, still decrypts
        out = run(
            trustee_cli.app, "decrypt", "--keyfile", keyfiles[j], "--workers", 1, "--lang", "en"
        )
        assert "Board checked: 7 leaves, 5 ballots count" in out  # open, 5 ballots, close
        assert "Decryption shares sent: 18." in out
    election = services.transition(election, Status.TALLIED, actor="test")
    election = services.transition(election, Status.PUBLISHED, actor="test")

    report = verify_record(services.record_path(election), workers=1)
    assert report.ok, report.failures
    for district, contests in expected.items():
        assert report.results[district]["contests"] == contests
    run(ca_cli.app, "destroy", "--secrets", secrets, "--lang", "en")
    assert not secrets.exists()
