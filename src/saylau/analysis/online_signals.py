"""The online signals of one election read from saylau's own tables: sign-ins per minute and
per network (voting.models.SignInEvent), casts and re-votes per minute and per credential
(the board's leaves), casts per district and minute against the roll's districts; then the
tests of saylau.forensics.online on those counts.

Only counts leave this module: a network is named by a short HMAC under the site's secret
(`net-…`), never its address; no member id, credential, IIN or phone is in the result.
Casts are not counted per network: the board does not know a ballot's network (secrecy).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.conf import settings

from saylau.board.models import Leaf, LeafKind
from saylau.elections.models import Election, PublicCredential
from saylau.forensics import online
from saylau.forensics.precincts import Ints
from saylau.forensics.result import TestResult
from saylau.registry.models import RollDistrictCount
from saylau.voting.models import SignInEvent

MINUTE_MS = 60_000
QUICK_MINUTES = 10  # a re-vote this soon after the credential's first cast counts as quick
TESTS = ("online_bursts", "online_networks", "online_revotes", "online_geography")


@dataclass(frozen=True)
class OnlineCounts:
    """Aggregated counts only (what the tests and report.json see)."""

    minutes: tuple[str, ...]  # UTC, "YYYY-MM-DDTHH:MMZ", one per minute from first to last
    signins: Ints
    casts: Ints  # every ballot leaf (first casts and re-votes)
    revotes: Ints
    networks: tuple[str, ...]  # opaque labels
    network_members: Ints
    network_signins: Ints
    revotes_per_credential: Ints  # one per credential that cast
    quick_revotes: int
    districts: tuple[str, ...]
    district_minutes: Ints  # shape (districts, minutes)
    roll: tuple[int, ...]  # members per district on the roll (0 when unknown)


def network_label(election: Election, network: str) -> str:
    """An opaque, stable label: the first 10 hex digits of an HMAC of the election and the
    network under the site's secret key (the address cannot be read back from it)."""
    key = str(settings.SECRET_KEY).encode()
    digest = hmac.new(key, f"analysis-net:{election.slug}:{network}".encode(), hashlib.sha256)
    return "net-" + digest.hexdigest()[:10]


def _minute_label(minute: int) -> str:
    moment = dt.datetime.fromtimestamp(minute * 60, tz=dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%MZ")


def _roll(election: Election) -> dict[str, int]:
    rows = RollDistrictCount.objects.filter(snapshot__election=election.slug)
    return dict(rows.values_list("district_id", "count"))


def _districts(election: Election) -> list[str]:
    return [str(d.get("id")) for d in election.manifest.get("districts", [])]


def read_counts(election: Election, quick_minutes: int = QUICK_MINUTES) -> OnlineCounts:
    """The election's counts from its sign-ins, leaves, public credentials and roll."""
    signin_rows = list(
        SignInEvent.objects.filter(election=election).values_list("network", "member_id", "at")
    )
    ballot_kinds = [LeafKind.CAST, LeafKind.REVOTE]
    leaves = list(
        Leaf.objects.filter(election=election, kind__in=ballot_kinds)
        .order_by("index")
        .values_list("kind", "time", "credential")
    )
    signin_minutes = [int(at.timestamp() // 60) for _n, _m, at in signin_rows]
    leaf_minutes = [int(t // MINUTE_MS) for _k, t, _c in leaves]
    every = signin_minutes + leaf_minutes
    start = min(every, default=0)
    span = (max(every) - start + 1) if every else 0
    minutes = tuple(_minute_label(start + i) for i in range(span))

    def per_minute(values: Sequence[int]) -> Ints:
        return np.bincount(np.asarray(values, dtype=np.int64) - start, minlength=span)

    members: dict[str, set[int]] = defaultdict(set)
    signins: Counter[str] = Counter()
    for network, member, _at in signin_rows:
        label = network_label(election, network)
        members[label].add(member)
        signins[label] += 1
    labels = tuple(sorted(members))

    district_of = dict(
        PublicCredential.objects.filter(election=election).values_list("credential", "district")
    )
    districts = _districts(election)
    row = {d: i for i, d in enumerate(districts)}
    grid = np.zeros((len(districts), span), dtype=np.int64)
    first_cast: dict[str, int] = {}
    revoted: Counter[str] = Counter()
    quick = 0
    revote_minutes = []
    for (kind, time, credential), minute in zip(leaves, leaf_minutes, strict=True):
        cred = credential or ""
        if kind == LeafKind.REVOTE:
            revoted[cred] += 1
            revote_minutes.append(minute)
            first = first_cast.get(cred)
            if first is not None and time - first <= quick_minutes * MINUTE_MS:
                quick += 1
        else:
            first_cast.setdefault(cred, time)
        where = row.get(district_of.get(cred, ""))
        if where is not None:
            grid[where, minute - start] += 1
    voting = set(first_cast) | set(revoted)
    roll = _roll(election)
    return OnlineCounts(
        minutes=minutes,
        signins=per_minute(signin_minutes),
        casts=per_minute(leaf_minutes),
        revotes=per_minute(revote_minutes),
        networks=labels,
        network_members=np.array([len(members[n]) for n in labels], dtype=np.int64),
        network_signins=np.array([signins[n] for n in labels], dtype=np.int64),
        revotes_per_credential=np.array([revoted[c] for c in sorted(voting)], dtype=np.int64),
        quick_revotes=quick,
        districts=tuple(districts),
        district_minutes=grid,
        roll=tuple(int(roll.get(d, 0)) for d in districts),
    )


def online_tests(counts: OnlineCounts, alpha: float = 0.05) -> list[TestResult]:
    """The four online tests, in the order of TESTS."""
    c = counts
    series = {"sign-ins": c.signins, "casts": c.casts}
    bursts = online.series_bursts(series, c.minutes, alpha=alpha)
    nets = online.networks(c.network_members, c.networks, alpha=alpha)
    nets.details["signins"] = int(c.network_signins.sum())
    nets.details["networks"] = len(c.networks)
    revotes = online.revotes(
        c.revotes_per_credential, c.revotes, c.minutes, quick=c.quick_revotes, alpha=alpha
    )
    revotes.details["quick_minutes"] = QUICK_MINUTES
    geography = online.geography(c.district_minutes, c.districts, c.minutes, c.roll, alpha=alpha)
    return [bursts, nets, revotes, geography]
