"""DEMO ONLY: play the trustees and the credential authority inside the server's process.

A real election never does this — trustees and the CA run `saylau trustee` and `saylau ca`
on their own machines, and the server never holds their secrets. Here the same client code
(saylau.trustee, saylau.ca) talks to the same service functions the API calls, through an
in-process stand-in for the HTTP client, so `make demo` and the tests exercise the real
checks. The key files and the CA's secrets file go to SAYLAU_VAR_DIR/demo/<slug>/.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from saylau import trustee
from saylau.ca import issue as ca_client
from saylau.ca import sms as ca_sms
from saylau.crypto.rand import Rng, SystemRng
from saylau.elections import services
from saylau.elections.authority import credential_lists
from saylau.elections.board import board_source
from saylau.elections.models import Election, PublicCredential, Seat, Status
from saylau.protocol.board import tree_head_to_json
from saylau.protocol.documents import credentials_document


def sample_manifest(
    slug: str, districts: tuple[str, ...] = ("KZ-75", "KZ-71"), candidates: int = 3
) -> dict[str, Any]:
    """A small manifest for demos and tests: per district a vote-for-1 contest with
    `candidates` candidates and "against all", and one shared vote-for-up-to-2 contest."""
    against_all = {"kk": "Барлығына қарсы", "ru": "Против всех", "en": "Against all"}

    def options(prefix: str, n: int) -> list[dict[str, Any]]:
        people = [
            {
                "id": f"{prefix}-{k}",
                "name": {"kk": f"Үміткер {k}", "ru": f"Кандидат {k}", "en": f"Candidate {k}"},
            }
            for k in range(1, n + 1)
        ]
        return [*people, {"id": f"{prefix}-aa", "name": against_all, "against_all": True}]

    contests = [
        {
            "id": "council",
            "name": {"kk": "Кеңес", "ru": "Совет", "en": "Council"},
            "min_marks": 0,
            "max_marks": 2,
            "options": options("council", candidates + 1),
        }
    ]
    rows, styles = [], []
    for code in districts:
        contest_id = f"{code.lower()}-seat"
        contests.append(
            {
                "id": contest_id,
                "name": {"kk": f"{code} орны", "ru": f"Место {code}", "en": f"{code} seat"},
                "min_marks": 1,
                "max_marks": 1,
                "options": options(contest_id, candidates),
            }
        )
        styles.append({"id": f"{code.lower()}-style", "contests": [contest_id, "council"]})
        rows.append({"id": code, "ballot_style": f"{code.lower()}-style"})
    return {
        "schema": "saylau-manifest/1",
        "election_id": slug,
        "title": {"kk": "Праймериз", "ru": "Праймериз", "en": "Primaries"},
        "districts": rows,
        "ballot_styles": styles,
        "contests": contests,
    }


def warning() -> str:
    return _(
        "DEMO: every trustee and the credential authority are played by this one process. "
        "A real election never does this."
    )


def demo_dir(election: Election) -> Path:
    path = Path(settings.VAR_DIR) / "demo" / election.slug
    path.mkdir(parents=True, exist_ok=True)
    return path


class InProcessClient:
    """What saylau.trustee and saylau.ca need of `SeatClient`, calling services directly."""

    def __init__(self, election: Election, index: int) -> None:
        self.slug = election.slug
        self.election = election.slug
        self.index = index

    def _election(self) -> Election:
        return services.get_election(self.slug)

    def get(self, path: str = "", **params: Any) -> Any:
        election = self._election()
        if path == "":
            return {"manifest": election.manifest}
        if path == "/ceremony":
            return services.ceremony_state(election, self.index)
        if path == "/tally/sums":
            return services.tally_sums(election)
        if path == "/ca/roll":
            return services.roll_for_ca(election, after=int(params.get("after", 0)))
        if path == "/ca":
            seat = Seat.objects.get(election=election, role=Seat.Role.CA)
            stored = PublicCredential.objects.filter(election=election).count()
            return {"stored": stored, "finished": seat.finished_at is not None}
        raise ValueError(path)

    def public(self, path: str = "", **params: Any) -> Any:
        """The public voting API's answers, from the election's board source."""
        election = self._election()
        if path == "/board":
            heads = list(board_source().board_heads(election))
            head = heads[-1] if heads else None
            return {
                "election": election.slug,
                "log_id": election.fingerprint,
                "board_public_key": election.board_public_key,
                "size": head.tree_size if head else 0,
                "closed": election.status in (Status.CLOSED, Status.TALLIED, Status.PUBLISHED),
                "tree_head": tree_head_to_json(head) if head else None,
            }
        if path == "/credentials":
            return credentials_document(credential_lists(election))
        raise ValueError(path)

    def lines(self, path: str, start: int = 0, limit: int = 10_000) -> Iterator[bytes]:
        if path != "/board/leaves.jsonl":
            raise ValueError(path)
        leaves = board_source().board_leaves(self._election())
        yield from itertools.islice(leaves, start, start + limit)

    def post(self, path: str, body: Any) -> Any:
        election = self._election()
        if path == "/ceremony/messages":
            services.submit_ceremony_message(election, self.index, body["kind"], body["payload"])
        elif path == "/tally/shares":
            services.submit_decryption_shares(election, self.index, body)
        elif path == "/ca/credentials":
            services.upload_credential_batch(election, body)
        elif path == "/ca/credentials/complete":
            services.complete_credential_upload(election, body)
        else:
            raise ValueError(path)
        return {}


def run_ceremony_in_process(
    election: Election, rng: Rng | None = None
) -> dict[int, tuple[trustee.KeyFile, Path]]:
    """Play all n trustees until the ceremony is complete; returns their key files."""
    rng = rng or SystemRng()
    keyfiles: dict[int, tuple[trustee.KeyFile, Path]] = {}
    for j in range(1, election.trustees + 1):
        client = InProcessClient(election, j)
        kf = trustee.init_keyfile(client, "in-process", j, "", rng)  # type: ignore[arg-type]
        path = demo_dir(election) / f"trustee-{j}.json"
        kf.save(path)
        keyfiles[j] = (kf, path)
    for _round in range(8):
        phases = set()
        for j, (kf, path) in keyfiles.items():
            client = InProcessClient(election, j)
            phase, _done = trustee.ceremony(client, kf, path, rng)  # type: ignore[arg-type]
            phases.add(phase)
        if all(kf.secret_share for kf, _path in keyfiles.values()):
            return keyfiles
    raise RuntimeError(f"demo ceremony did not finish: {sorted(phases)}")


def decrypt_in_process(
    election: Election,
    keyfiles: dict[int, tuple[trustee.KeyFile, Path]],
    present: list[int] | None = None,
    rng: Rng | None = None,
) -> None:
    """The present trustees (default: all) send their decryption shares."""
    rng = rng or SystemRng()
    for j in present or sorted(keyfiles):
        kf, path = keyfiles[j]
        client = InProcessClient(election, j)
        trustee.decrypt(client, kf, path, election.manifest, rng)  # type: ignore[arg-type]


def issue_credentials_in_process(
    election: Election, rng: Rng | None = None, sender: ca_sms.SmsSender | None = None
) -> ca_client.SecretsFile:
    """Play the CA: credentials for the closed roll, upload, confirm, SMS to the outbox."""
    rng = rng or SystemRng()
    client = InProcessClient(election, 0)
    path = demo_dir(election) / "ca-secrets.json"
    path.unlink(missing_ok=True)
    sf = ca_client.make_credentials(client, "in-process", "", path, rng)  # type: ignore[arg-type]
    ca_client.upload(client, sf, path, lambda *_a: None)  # type: ignore[arg-type]
    ca_sms.send_codes(sf, path, sender or ca_sms.OutboxSms(), lambda *_a: None)
    return sf
