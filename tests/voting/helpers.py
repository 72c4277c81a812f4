"""Voting test helpers: an open election built directly (roll, DKG, credentials, board).

The elections app's own ceremony and credential upload are not used here: an Election row is
made with the joint key of `crypto.dkg.run_ceremony`, credentials from
`protocol.credentials.issue` become PublicCredential rows, and the board is opened with
`voting.services.open_board`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from saylau.crypto import dkg
from saylau.crypto.rand import DeterministicRng
from saylau.protocol.ballot import Ballot, ElectionContext, encrypt_ballot
from saylau.protocol.credentials import issue
from saylau.protocol.keyceremony import dkg_context
from saylau.protocol.manifest import manifest_from_json

DISTRICTS = ("KZ-75", "KZ-71")
FREEZE = dt.date(2020, 9, 11)
CODE_RE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


def make_manifest(slug: str, districts=DISTRICTS) -> dict[str, Any]:
    """Each district: one vote-for-1 contest of 2 candidates and 'against all'."""

    def name(text: str) -> dict[str, str]:
        return {"kk": text, "ru": text, "en": text}

    contests, styles, ds = [], [], []
    for code in districts:
        cid = f"{code}-mazhilis"
        contests.append(
            {
                "id": cid,
                "name": name(f"{code} Mazhilis"),
                "min_marks": 1,
                "max_marks": 1,
                "options": [
                    {"id": f"{cid}-1", "name": name("Candidate 1"), "against_all": False},
                    {"id": f"{cid}-2", "name": name("Candidate 2"), "against_all": False},
                    {"id": f"{cid}-aa", "name": name("Against all"), "against_all": True},
                ],
            }
        )
        styles.append({"id": f"{code}-style", "contests": [cid]})
        ds.append({"id": code, "name": name(f"District {code}"), "ballot_style": f"{code}-style"})
    return {
        "schema": "saylau-manifest/1",
        "election_id": slug,
        "title": {"kk": "Праймериз", "ru": "Праймериз", "en": "Primaries"},
        "districts": ds,
        "ballot_styles": styles,
        "contests": contests,
    }


@dataclass
class Voter:
    member_id: int
    iin: str
    phone: str
    district: str
    code: str  # the secret credential code (the CA's SMS)
    credential: str  # public credential, hex


@dataclass
class World:
    election: Any
    voters: list[Voter]
    ctx: ElectionContext
    shares: dict[int, int]
    transcript: Any
    credentials: dict[str, list[str]] = field(default_factory=dict)

    def refresh(self) -> None:
        self.election.refresh_from_db()

    def ballot(self, voter: Voter, choice: int = 0, seed: str = "b") -> Ballot:
        from saylau.protocol.credentials import derive

        contest = self.ctx.manifest.contests_for(voter.district)[0]
        marks = [0] * len(contest.options)
        marks[choice] = 1
        return encrypt_ballot(
            self.ctx,
            voter.district,
            {contest.id: marks},
            derive(self.election.slug, voter.code),
            DeterministicRng(f"{seed}/{voter.member_id}/{choice}"),
        )


def ensure_districts() -> None:
    """The districts' data migration rows (a transactional test's flush removes them)."""
    from saylau.registry.districts import DISTRICTS as ALL
    from saylau.registry.models import District

    for d in ALL:
        District.objects.get_or_create(
            code=d.code,
            defaults={"name_kk": d.name_kk, "name_ru": d.name_ru, "name_en": d.name_en},
        )


def build_world(
    members_rows,
    *,
    slug: str = "primaries-test",
    per_district: int = 3,
    ip_policy: str = "strict",
    ip_limit_per_hour: int = 20,
    status: str = "open",
    open_board: bool = True,
    opens_at: dt.datetime | None = None,
    closes_at: dt.datetime | None = None,
) -> World:
    from saylau.elections.models import Election, PublicCredential
    from saylau.registry import services as registry
    from saylau.registry.models import Member
    from saylau.voting import services as voting

    ensure_districts()
    rows = members_rows(per_district * len(DISTRICTS), seed=7)
    members = []
    for i, row in enumerate(rows):
        members.append(
            Member.objects.create(
                iin=row[0],
                full_name=row[1],
                phone=row[2],
                district_id=DISTRICTS[i % len(DISTRICTS)],
                join_date=dt.date(2010, 1, 1),
            )
        )
    registry.open_roll(slug, FREEZE)
    registry.close_roll(slug)
    rng = DeterministicRng(f"world/{slug}")
    transcript, shares = dkg.run_ceremony(3, 2, dkg_context(slug, 3, 2), rng)
    result = dkg.verify_transcript(transcript, dkg_context(slug, 3, 2))
    raw = make_manifest(slug)
    ctx = ElectionContext.make(manifest_from_json(raw), result.joint_public_key)
    election = Election.objects.create(
        slug=slug,
        manifest=raw,
        status=status,
        ip_policy=ip_policy,
        ip_limit_per_hour=ip_limit_per_hour,
        joint_public_key=result.joint_public_key.hex(),
        fingerprint=ctx.fingerprint.hex(),
        opens_at=opens_at,
        closes_at=closes_at,
    )
    by_district: dict[str, list[Any]] = {}
    for m in members:
        by_district.setdefault(m.district_id, []).append(m)
    secrets, public = issue(slug, {d: len(ms) for d, ms in by_district.items()}, rng)
    voters = []
    for d, ms in by_district.items():
        for m, secret in zip(ms, secrets[d], strict=True):
            PublicCredential.objects.create(
                election=election, district=d, credential=secret.public.hex(), member_id=m.pk
            )
            voters.append(Voter(m.pk, m.iin, m.phone, d, secret.code, secret.public.hex()))
    voters.sort(key=lambda v: v.member_id)
    if open_board:
        voting.open_board(election)
    election.refresh_from_db()
    return World(
        election,
        voters,
        ctx,
        shares,
        transcript,
        {d: [c.hex() for c in cs] for d, cs in public.districts.items()},
    )


def last_code() -> str:
    """The code in the latest SMS of the development outbox."""
    from saylau.notify.models import OutboxMessage

    message = OutboxMessage.objects.order_by("-id").first()
    assert message is not None, "no SMS was sent"
    match = CODE_RE.search(message.body)
    assert match, message.body
    return match.group(1)


def sms_count() -> int:
    from saylau.notify.models import OutboxMessage

    return OutboxMessage.objects.count()


class Api:
    """The Django test client speaking to /api/voting/<slug>/…"""

    def __init__(self, client, slug: str) -> None:
        self.client = client
        self.slug = slug

    def url(self, path: str) -> str:
        return f"/api/voting/{self.slug}{path}"

    def get(self, path: str, token: str | None = None, **extra):
        if token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        return self.client.get(self.url(path), **extra)

    def post(self, path: str, body=None, token: str | None = None, ip="10.0.0.1", **extra):
        import json

        if token:
            extra["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        data = body if isinstance(body, str | bytes) else json.dumps(body or {})
        return self.client.post(
            self.url(path), data=data, content_type="application/json", REMOTE_ADDR=ip, **extra
        )

    def sign_in(self, voter: Voter, ip: str = "10.0.0.1") -> str:
        response = self.post("/sign-in", {"iin": voter.iin, "phone": voter.phone}, ip=ip)
        assert response.status_code == 202, response.content
        challenge = response.json()["challenge"]
        response = self.post(
            "/sign-in/verify", {"challenge": challenge, "code": last_code()}, ip=ip
        )
        assert response.status_code == 200, response.content
        return response.json()["token"]

    def cast(self, ballot: Ballot, token: str):
        from saylau.protocol.canonical import canonical_json

        return self.post("/ballots", canonical_json(ballot.raw), token=token)


def cast_through_a_crash(
    client: Any, ballot: Ballot, failures: list[str], restarted: Any, *, tries: int
) -> Any:
    """Cast `ballot` until it gets a receipt, across a crash: a failed cast must be a lost
    connection or a 503 (never a 500); it is noted in `failures` (a list shared by threads:
    `append` is atomic), then the next try waits for `restarted` (a threading.Event)."""
    from saylau.client import ClientError

    for _try in range(tries):
        try:
            return client.cast(ballot)
        except ClientError as error:
            assert error.status in (0, 503), error.message  # never a 500
            failures.append(f"{error.status} {error.code}")
            assert restarted.wait(90), "the server did not come back"
    raise AssertionError(f"no receipt after {tries} tries")
