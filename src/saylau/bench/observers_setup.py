"""BENCHMARK ONLY: N stations with two accredited observers each (two organisations), signed
in, in a dedicated database, for `saylau bench observers`. Run in its own process:

    DATABASE_URL=postgres://…/saylau_bench_observers python -m saylau.bench.observers_setup \
        OUT.json --stations N

Migrates, creates an election (the load benchmark's manifest), N stations over its districts,
2N certified observers with accounts, their accreditations (the primary of each organisation),
a voting-phase checklist, and a session per observer written straight into the session
table (no 2N password sign-ins: they are not what is measured). OUT.json gets each
observer's session key, CSRF secret, station and contest.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import secrets
import string
from pathlib import Path
from typing import Any

SLUG = "bench-observers"
ITEMS = ("seals", "list", "booths", "ink", "secrecy")
BATCH = 2000
UNUSABLE = "!bench"


def _csrf_secret() -> str:
    alphabet = string.ascii_letters + string.digits
    return "".join(secrets.choice(alphabet) for _ in range(32))


def _election(districts: int) -> Any:
    from saylau.bench.load_setup import DISTRICTS, manifest
    from saylau.elections import manifest_io
    from saylau.elections.models import Election

    raw = manifest_io.normalise(manifest(SLUG, DISTRICTS[:districts]))
    return Election.objects.create(slug=SLUG, manifest=raw, status="open")


def _stations(election: Any, n: int) -> list[Any]:
    from saylau.stations.models import Station

    districts = [d["id"] for d in election.manifest["districts"]]
    rows = [
        Station(
            election=election,
            code=f"B-{k:05d}",
            number=k,
            district=districts[k % len(districts)],
            latitude=43 + (k % 100) / 10,
            longitude=50 + (k % 350) / 10,
        )
        for k in range(1, n + 1)
    ]
    return Station.objects.bulk_create(rows, batch_size=BATCH)


def _observers(stations: list[Any], now: dt.datetime) -> list[tuple[Any, Any, Any]]:
    from django.contrib.auth.models import Group, User

    from saylau.observation.models import Accreditation, Observer, Organisation
    from saylau.web.roles import OBSERVER

    orgs = [Organisation.objects.create(name=f"Bench {c}", slug=f"bench-{c}") for c in "ab"]
    pairs = [(org, station) for station in stations for org in orgs]
    users = User.objects.bulk_create(
        [User(username=f"bench-obs-{k}", password=UNUSABLE) for k in range(len(pairs))],
        batch_size=BATCH,
    )
    Group.objects.get(name=OBSERVER).user_set.add(*users)
    observers = Observer.objects.bulk_create(
        [
            Observer(
                organisation=org,
                user=user,
                full_name=f"Observer {k}",
                iin=f"{k:012d}",
                region=station.district,
                status=Observer.Status.CERTIFIED,
            )
            for k, ((org, station), user) in enumerate(zip(pairs, users, strict=True))
        ],
        batch_size=BATCH,
    )
    Accreditation.objects.bulk_create(
        [
            Accreditation(
                observer=observer,
                organisation=org,
                station=station,
                role="primary",
                starts_at=now - dt.timedelta(hours=1),
                ends_at=now + dt.timedelta(hours=24),
            )
            for (org, station), observer in zip(pairs, observers, strict=True)
        ],
        batch_size=BATCH,
    )
    return [
        (user, station, observer)
        for (_o, station), user, observer in zip(pairs, users, observers, strict=True)
    ]


def _sessions(users: list[Any], now: dt.datetime) -> list[str]:
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    store = SessionStore()
    keys, rows = [], []
    for user in users:
        key = secrets.token_hex(16)
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "django.contrib.auth.backends.ModelBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        rows.append(
            Session(
                session_key=key,
                session_data=store.encode(data),
                expire_date=now + dt.timedelta(days=1),
            )
        )
        keys.append(key)
    Session.objects.bulk_create(rows, batch_size=BATCH)
    return keys


def build(n: int, districts: int) -> dict[str, Any]:
    from django.core.management import call_command
    from django.utils import timezone

    from saylau.observation.models import Checklist

    call_command("migrate", verbosity=0, interactive=False)
    now = timezone.now()
    election = _election(districts)
    Checklist.objects.create(
        election=election,
        phase="voting",
        items=[{"id": i, "kk": i, "ru": i, "en": i} for i in ITEMS],
    )
    stations = _stations(election, n)
    triples = _observers(stations, now)
    keys = _sessions([user for user, _s, _o in triples], now)
    contests = {c["id"]: c for c in election.manifest["contests"]}
    rows = []
    for key, (_user, station, _observer) in zip(keys, triples, strict=True):
        contest = next(c for c in contests.values() if c["id"].startswith(station.district.lower()))
        rows.append(
            {
                "session": key,
                "csrf": _csrf_secret(),
                "station": station.code,
                "contest": contest["id"],
                "options": [o["id"] for o in contest["options"]],
            }
        )
    return {"observers": rows, "items": list(ITEMS)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--stations", type=int, required=True)
    parser.add_argument("--districts", type=int, default=3)
    args = parser.parse_args(argv)

    from saylau.web.bootstrap import setup_django

    setup_django()
    args.out.write_text(json.dumps(build(args.stations, args.districts)), encoding="utf-8")


if __name__ == "__main__":
    main()
