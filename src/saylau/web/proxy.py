"""Client address and scheme behind trusted reverse proxies.

``X-Forwarded-For`` and ``X-Forwarded-Proto`` are only believed when the
connection comes from an address in ``settings.SAYLAU_TRUSTED_PROXIES`` (the site's
settings parse them once, from the environment).
The client is the right-most address in the ``X-Forwarded-For`` chain that is
not itself a trusted proxy (a client can put anything on the left).
The voting app's IP policy (decision 0003) relies on this.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

FORWARDED_PROTO_META = "SAYLAU_FORWARDED_PROTO"


def _parse_ip(value: str) -> IPAddress | None:
    value = value.strip()
    if value.startswith("[") and "]" in value:  # "[::1]:8080"
        value = value[1 : value.index("]")]
    elif value.count(":") == 1:  # "1.2.3.4:5678"
        value = value.split(":", 1)[0]
    try:
        return ipaddress.ip_address(value)
    except ValueError:
        return None


def _trusted(address: IPAddress, proxies: Sequence[IPNetwork]) -> bool:
    return any(address in network for network in proxies)


def resolve_client_ip(
    remote_addr: str, forwarded_for: str | None, proxies: Sequence[IPNetwork]
) -> str:
    """The client's IP address given the socket peer and the forwarded chain."""
    peer = _parse_ip(remote_addr)
    if peer is None or not forwarded_for or not _trusted(peer, proxies):
        return remote_addr
    hops: list[IPAddress] = []
    for part in forwarded_for.split(","):
        hop = _parse_ip(part)
        if hop is None:
            return remote_addr  # a malformed chain is not believed at all
        hops.append(hop)
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return str(hop)
    return str(hops[0])


class TrustedProxyMiddleware:
    """Rewrite ``REMOTE_ADDR`` (and the scheme) from trusted proxies' headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        proxies: Sequence[IPNetwork] = getattr(settings, "SAYLAU_TRUSTED_PROXIES", ())
        remote = request.META.get("REMOTE_ADDR", "")
        request.META["SAYLAU_PEER_ADDR"] = remote
        request.META.pop(FORWARDED_PROTO_META, None)
        if proxies:
            peer = _parse_ip(remote)
            if peer is not None and _trusted(peer, proxies):
                request.META["REMOTE_ADDR"] = resolve_client_ip(
                    remote, request.META.get("HTTP_X_FORWARDED_FOR"), proxies
                )
                proto = request.META.get("HTTP_X_FORWARDED_PROTO", "").split(",")[0].strip()
                if proto in {"http", "https"}:
                    # Read by Django through SECURE_PROXY_SSL_HEADER; not an HTTP_* key,
                    # so a client cannot set it with a header of its own.
                    request.META[FORWARDED_PROTO_META] = proto
        return self.get_response(request)


def client_ip(request: HttpRequest) -> str:
    """The client address as resolved by ``TrustedProxyMiddleware``."""
    return str(request.META.get("REMOTE_ADDR", ""))
