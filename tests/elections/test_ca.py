"""The credential authority: the roll it gets, the upload checked against the closed roll
(wrong counts refused), codes by SMS (outbox and an HTTP provider on loopback), destroy."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from typer.testing import CliRunner

from saylau.ca import issue as ca_client
from saylau.ca import sms as ca_sms
from saylau.cli import ca as ca_cli
from saylau.crypto.group import IDENTITY
from saylau.crypto.rand import DeterministicRng
from saylau.demo import play as demo
from saylau.elections import services
from saylau.elections.errors import CredentialsRejected, NotReady
from saylau.elections.models import AuditEvent, PublicCredential, Seat, Status
from saylau.notify.models import OutboxMessage
from saylau.protocol import credentials
from saylau.protocol.credentials import derive
from tests.elections.conftest import SLUG, close_roll, through_stage

pytestmark = pytest.mark.django_db
ROLL = {"KZ-75": 3, "KZ-71": 2}


@pytest.fixture
def ready(election):
    members = close_roll(SLUG, ROLL)
    election, _ = through_stage(election, Status.KEYS_READY)
    return election, members


def rows(sf):
    return [
        {"member": r["member"], "district": r["district"], "credential": r["public"]}
        for r in sf.credentials
    ]


def make(election, tmp_path):
    client = demo.InProcessClient(election, 0)
    return client, ca_client.make_credentials(
        client, "x", "", tmp_path / "s.json", DeterministicRng("ca")
    )


def test_issue_uploads_the_public_list_and_texts_each_member(english, ready):
    election, members = ready
    sf = demo.issue_credentials_in_process(election, DeterministicRng("ca"))
    assert Seat.objects.get(election=election, role="ca").finished_at is not None
    stored = dict(
        PublicCredential.objects.filter(election=election).values_list("member_id", "credential")
    )
    assert stored == {r["member"]: r["public"] for r in sf.credentials}
    for row in sf.credentials:  # the code the member gets derives their public credential
        assert derive(SLUG, row["code"]).public.hex() == row["public"]
    texts = {m.to: m.body for m in OutboxMessage.objects.all()}
    assert set(texts) == {m.phone for m in members}
    row = sf.credentials[0]
    assert texts[row["phone"]] == (
        f"Праймериз: сіздің дауыс беру кодыңыз {row['code']}. "
        "Оны ешкімге бермеңіз: дауыс бергенде оны енгізесіз."
    )
    upload = AuditEvent.objects.get(action="ca.upload").details
    assert upload["credentials"] == 5 and upload["districts"] == ROLL
    services.transition(election, Status.CREDENTIALS_ISSUED, actor="test")
    assert services.credential_of_member(election, row["member"]) == row["public"]
    assert services.credential_district(election, row["public"]) == row["district"]


def refused(election, payload, needle, complete=False):
    fn = services.complete_credential_upload if complete else services.upload_credential_batch
    with pytest.raises(CredentialsRejected) as caught:
        fn(election, payload)
    assert needle in str(caught.value), str(caught.value)
    assert AuditEvent.objects.filter(action="ca.upload_rejected").exists()


def test_bad_batches_are_refused(english, ready, tmp_path):
    election, _members = ready
    _client, sf = make(election, tmp_path)
    good = rows(sf)
    outsider = {**good[0], "member": 10**9}
    refused(election, {"members": [outsider]}, "not a member on the closed roll")
    wrong = {**good[0], "district": "KZ-71" if good[0]["district"] == "KZ-75" else "KZ-75"}
    refused(election, {"members": [wrong]}, "on the roll in another district")
    refused(
        election,
        {"members": [good[0], {**good[1], "credential": good[0]["credential"]}]},
        "appears twice",
    )
    refused(election, {"members": [{**good[0], "credential": IDENTITY.hex()}]}, "identity")
    refused(election, {"members": [{**good[0], "credential": "00" * 31 + "01"}]}, "members[0]")
    refused(election, {"members": "all of them"}, "at most 5000 rows")
    services.upload_credential_batch(election, {"members": good[:2]})
    assert services.upload_credential_batch(election, {"members": good[:3]}) == 1  # resent
    refused(
        election,
        {"members": [{**good[0], "credential": good[4]["credential"]}]},
        "already has another credential",
    )
    assert PublicCredential.objects.filter(election=election).count() == 3


def test_wrong_counts_are_refused_at_completion(english, ready, tmp_path):
    election, _members = ready
    _client, sf = make(election, tmp_path)
    services.upload_credential_batch(election, {"members": rows(sf)[:4]})
    digest = credentials.list_digest(sf.public_lists())
    refused(
        election,
        {"counts": {"KZ-75": 3, "KZ-71": 2}, "digest": digest},
        "do not match the closed roll",
        complete=True,
    )
    refused(
        election,
        {"counts": {"KZ-75": 4, "KZ-71": 1}, "digest": digest},
        "differ from the roll",
        complete=True,
    )
    services.upload_credential_batch(election, {"members": rows(sf)[4:]})
    refused(election, {"counts": ROLL, "digest": "0" * 64}, "digest differs", complete=True)
    services.complete_credential_upload(election, {"counts": ROLL, "digest": digest})
    with pytest.raises(NotReady):
        services.upload_credential_batch(election, {"members": rows(sf)[:1]})


def test_the_ca_works_only_between_roll_closing_and_voting(english, election):
    with pytest.raises(NotReady):
        services.roll_for_ca(election)


class SmsReceiver(BaseHTTPRequestHandler):
    received: list = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        SmsReceiver.received.append((self.headers["Authorization"], body))
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"id": "p-1"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def sms_provider():
    SmsReceiver.received = []
    server = HTTPServer(("127.0.0.1", 0), SmsReceiver)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/send", SmsReceiver.received
    server.shutdown()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ca_cli_sends_through_its_own_http_provider(live_server, manifest, tmp_path, sms_provider):
    url, received = sms_provider
    members = close_roll(SLUG, ROLL)
    election = services.create_election(manifest, actor="test")
    ca_token = election.issued_tokens[0].token
    election, _ = through_stage(election, Status.KEYS_READY)
    secrets = tmp_path / "secrets.json"
    runner = CliRunner()
    args = [
        "issue",
        "--server",
        live_server.url,
        "--election",
        SLUG,
        "--token",
        ca_token,
        "--out-secrets",
        str(secrets),
        "--sms",
        "http",
        "--sms-url",
        url,
        "--sms-token",
        "provider-secret",
        "--lang",
        "ru",
    ]
    result = runner.invoke(ca_cli.app, args)
    assert result.exit_code == 0, result.output
    assert "Учётных данных: 5" in result.output
    assert sorted(b["to"] for _a, b in received) == sorted(m.phone for m in members)
    assert {a for a, _b in received} == {"Bearer provider-secret"}
    again = runner.invoke(ca_cli.app, args)
    assert again.exit_code == 2 and "saylau ca resume" in again.output
    status = runner.invoke(ca_cli.app, ["status", "--secrets", str(secrets), "--lang", "en"])
    assert "0 codes not sent yet" in status.output and "upload complete: yes" in status.output
    resume = runner.invoke(
        ca_cli.app,
        [
            "resume",
            "--secrets",
            str(secrets),
            "--sms",
            "http",
            "--sms-url",
            url,
            "--sms-token",
            "t",
            "--lang",
            "en",
        ],
    )
    assert resume.exit_code == 0 and "codes sent now: 0" in resume.output
    assert len(received) == 5
    destroy = runner.invoke(ca_cli.app, ["destroy", "--secrets", str(secrets), "--lang", "en"])
    assert destroy.exit_code == 0 and not secrets.exists()
    services.transition(election, Status.CREDENTIALS_ISSUED, actor="test")


def test_an_sms_outage_stops_and_resumes(ready, tmp_path):
    from saylau.notify.gateway import SmsUnavailable

    election, _members = ready
    client, sf = make(election, tmp_path)
    ca_client.upload(client, sf, tmp_path / "s.json", lambda *a: None)

    class Flaky:
        calls = 0

        def send(self, phone, text):
            Flaky.calls += 1
            if Flaky.calls == 3:
                raise SmsUnavailable("down")

    with pytest.raises(ca_client.CaError):
        ca_sms.send_codes(sf, tmp_path / "s.json", Flaky(), lambda *a: None)
    saved = ca_client.SecretsFile.load(tmp_path / "s.json")
    assert [r["sent"] for r in saved.credentials] == [True, True, False, False, False]
    assert ca_sms.send_codes(saved, tmp_path / "s.json", Flaky(), lambda *a: None) == 3
