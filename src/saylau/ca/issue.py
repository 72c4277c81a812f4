"""The credential authority's work, on the CA's own machine (no Django, except the demo
outbox): fetch the closed roll, make one credential per member, upload the public ones with
the member mapping, confirm the upload, send each member their code by SMS.

The secrets file (JSON, mode 0600) holds every secret code with the member's phone until the
codes are sent; `destroy` overwrites and deletes it. The server never sees a secret code,
so it cannot cast a ballot for anyone.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from saylau.client.private_file import write_private_json
from saylau.client.seat import SeatClient
from saylau.crypto.rand import Rng
from saylau.i18n import _
from saylau.protocol import credentials
from saylau.protocol.credentials import list_digest

SECRETS_SCHEMA = "saylau-ca-secrets/1"
UPLOAD_BATCH = 5_000
Progress = Callable[[str, int, int], None]


class CaError(Exception):
    """A problem the CA must know about; the message is translated."""


@dataclass
class SecretsFile:
    server: str
    election: str
    token: str
    title: dict[str, str]
    districts: dict[str, int]
    credentials: list[dict[str, Any]]  # member, district, phone, language, code, public, sent
    uploaded: bool = False
    completed: bool = False
    schema: str = SECRETS_SCHEMA
    failed: list[dict[str, Any]] = field(default_factory=list)

    @classmethod
    def load(cls, path: Path) -> SecretsFile:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raise CaError(_("The secrets file %(path)s cannot be read.") % {"path": path}) from None
        if not isinstance(data, dict) or data.get("schema") != SECRETS_SCHEMA:
            raise CaError(_("%(path)s is not a CA secrets file.") % {"path": path})
        return cls(**data)

    def save(self, path: Path) -> None:
        write_private_json(path, asdict(self), prefix=".ca-secrets-", ensure_ascii=False)

    def public_lists(self) -> dict[str, list[str]]:
        lists: dict[str, list[str]] = {d: [] for d in self.districts}
        for row in self.credentials:
            lists[row["district"]].append(row["public"])
        return {d: sorted(cs) for d, cs in lists.items()}


def fetch_roll(client: SeatClient) -> dict[str, Any]:
    """Every page of the closed roll (member, district, phone, language)."""
    members: list[dict[str, Any]] = []
    after = 0
    while True:
        page: dict[str, Any] = client.get("/ca/roll", after=after)
        members += page["members"]
        if page["next"] is None:
            page["members"] = members
            return page
        after = page["next"]


def make_credentials(
    client: SeatClient, server: str, token: str, path: Path, rng: Rng
) -> SecretsFile:
    """Fetch the roll, make the credentials, write the secrets file (nothing sent yet)."""
    roll = fetch_roll(client)
    counts: dict[str, int] = {d: int(n) for d, n in roll["districts"].items()}
    by_district: dict[str, list[dict[str, Any]]] = {d: [] for d in counts}
    for member in roll["members"]:
        if member["district"] not in by_district:
            raise CaError(_("The roll names a district the election does not have."))
        by_district[member["district"]].append(member)
    if {d: len(ms) for d, ms in by_district.items()} != counts:
        raise CaError(_("The roll's members do not add up to its published counts."))
    secrets, _public = credentials.issue(client.election, counts, rng)
    rows = []
    for district, members in by_district.items():
        for member, secret in zip(members, secrets[district], strict=True):
            rows.append(
                {
                    "member": member["member"],
                    "district": district,
                    "phone": member["phone"],
                    "language": member.get("language") or "kk",
                    "code": secret.display,
                    "public": secret.public.hex(),
                    "sent": False,
                }
            )
    secrets_file = SecretsFile(server, client.election, token, roll["title"], counts, rows)
    secrets_file.save(path)
    return secrets_file


def upload(client: SeatClient, sf: SecretsFile, path: Path, progress: Progress) -> None:
    """Send the (member, district, public credential) rows, then confirm counts and digest."""
    if not sf.uploaded:
        rows = [
            {"member": r["member"], "district": r["district"], "credential": r["public"]}
            for r in sf.credentials
        ]
        for start in range(0, len(rows), UPLOAD_BATCH):
            client.post("/ca/credentials", {"members": rows[start : start + UPLOAD_BATCH]})
            progress("upload", min(start + UPLOAD_BATCH, len(rows)), len(rows))
        sf.uploaded = True
        sf.save(path)
    if not sf.completed:
        status = client.get("/ca")
        if not status["finished"]:
            client.post(
                "/ca/credentials/complete",
                {"counts": sf.districts, "digest": list_digest(sf.public_lists())},
            )
        sf.completed = True
        sf.save(path)


def destroy(path: Path) -> None:
    """Overwrite the secrets file with random bytes, flush, and delete it. (On SSDs and
    journalling file systems old blocks may survive: keep the file on an encrypted volume.)"""
    size = path.stat().st_size
    with path.open("r+b") as handle:
        handle.write(os.urandom(size))
        handle.flush()
        os.fsync(handle.fileno())
    path.unlink()
