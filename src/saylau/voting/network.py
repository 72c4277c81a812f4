"""The IP policy of an election: `strict`, `limit` or `flag` (docs/decisions/0003).

A voter's *network* is their IPv4 address, or the /64 prefix of their IPv6 address (one
subscriber gets a whole /64, and a phone changes addresses inside it). Networks are stored
with completed sign-ins (member ids only, never an IIN) and never published; organisers see
clusters: how many members signed in from one network.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
from dataclasses import dataclass

from django.db.models import Count, Max, Min
from django.utils.translation import gettext as _

from saylau.elections.models import Election, IpPolicy
from saylau.voting.errors import NetworkBusy, NetworkRefused
from saylau.voting.models import NetworkClaim, SignInEvent

HOUR = dt.timedelta(hours=1)


def network_of(ip: str) -> str:
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return "unknown"
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


def _refused_strict() -> NetworkRefused:
    return NetworkRefused(
        _(
            "Another voter has already signed in to this election from your network "
            "address, and this election allows one voter per address. Use another "
            "connection (for example mobile data instead of shared Wi-Fi) or contact the "
            "election's organisers."
        )
    )


def check(election: Election, network: str, member_id: int | None, now: dt.datetime) -> None:
    """Refuse a sign-in from `network` that the policy does not allow (member_id None: the
    details match nobody, so the network is not theirs)."""
    if election.ip_policy == IpPolicy.STRICT:
        claim = (
            NetworkClaim.objects.filter(election=election, network=network)
            .values_list("member_id", flat=True)
            .first()
        )
        if claim is not None and claim != member_id:
            raise _refused_strict()
    elif election.ip_policy == IpPolicy.LIMIT:
        recent = SignInEvent.objects.filter(election=election, network=network, at__gte=now - HOUR)
        # the other members (member_id None: the details matched nobody — every member counts)
        if member_id is None:
            recent = recent.exclude(member_id__isnull=True)
        else:
            recent = recent.exclude(member_id=member_id)
        others = recent.values("member_id").distinct().count()
        if others >= election.ip_limit_per_hour:
            raise NetworkBusy(
                _(
                    "Too many voters have signed in from your network address in the last "
                    "hour. Please try again later or use another connection."
                ),
                retry_after=3600,
            )


def record(election: Election, network: str, member_id: int, now: dt.datetime) -> None:
    """Record a completed sign-in; under `strict`, claim the network (refused if another
    member claimed it first, on this or another app server)."""
    check(election, network, member_id, now)
    if election.ip_policy == IpPolicy.STRICT:
        claim, _created = NetworkClaim.objects.get_or_create(
            election=election, network=network, defaults={"member_id": member_id, "at": now}
        )
        if claim.member_id != member_id:
            raise _refused_strict()
    SignInEvent.objects.create(election=election, member_id=member_id, network=network, at=now)


@dataclass(frozen=True, slots=True)
class Cluster:
    network: str
    members: int
    sign_ins: int
    first: dt.datetime
    last: dt.datetime


def clusters(election: Election, min_members: int = 2, limit: int = 200) -> list[Cluster]:
    """Networks from which at least `min_members` members signed in, largest first."""
    rows = (
        SignInEvent.objects.filter(election=election)
        .values("network")
        .annotate(
            members=Count("member_id", distinct=True),
            sign_ins=Count("id"),
            first=Min("at"),
            last=Max("at"),
        )
        .filter(members__gte=min_members)
        .order_by("-members", "network")[:limit]
    )
    return [Cluster(r["network"], r["members"], r["sign_ins"], r["first"], r["last"]) for r in rows]
