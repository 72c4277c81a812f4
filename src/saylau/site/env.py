"""Typed readers for the environment variables that configure the site.

Every setting that differs between a laptop and production comes from the
environment (12-factor); this module only parses, it never has side effects.
"""

from __future__ import annotations

import ipaddress
import os
from collections.abc import Mapping

from django.core.exceptions import ImproperlyConfigured

from saylau.web.proxy import IPNetwork

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "", environ: Mapping[str, str] | None = None) -> str:
    environ = os.environ if environ is None else environ
    return environ.get(name, default).strip()


def env_bool(name: str, default: bool = False, environ: Mapping[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false, yes/no, on/off)")


def env_int(name: str, default: int, environ: Mapping[str, str] | None = None) -> int:
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer") from None


def env_float(name: str, default: float, environ: Mapping[str, str] | None = None) -> float:
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None or not raw.strip():
        return default
    try:
        return float(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number") from None


def env_list(
    name: str, default: list[str] | None = None, environ: Mapping[str, str] | None = None
) -> list[str]:
    """A comma- or whitespace-separated list; empty items are dropped."""
    environ = os.environ if environ is None else environ
    raw = environ.get(name)
    if raw is None:
        return list(default or [])
    return [item for item in raw.replace(",", " ").split() if item]


def parse_networks(items: list[str], *, name: str = "SAYLAU_TRUSTED_PROXIES") -> list[IPNetwork]:
    """Parse IP addresses and CIDR blocks (``10.0.0.1``, ``10.0.0.0/8``, ``::1``)."""
    networks: list[IPNetwork] = []
    for item in items:
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ImproperlyConfigured(
                f"{name}: {item!r} is not an IP address or network"
            ) from None
    return networks


_LOOPBACK_NAMES = frozenset({"localhost", "localhost.", "ip6-localhost", "ip6-loopback"})


def is_loopback_host(host: str) -> bool:
    """Whether a host name or address (``127.0.0.1``, ``[::1]``, ``localhost``) is this
    computer's loopback: what a site with DEBUG on may listen on and answer to."""
    name = host.strip().lower()
    if name.startswith("[") and name.endswith("]"):
        name = name[1:-1]
    if name in _LOOPBACK_NAMES or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


class LoopbackRequired(ImproperlyConfigured):
    """A site with DEBUG on was asked to listen on an address other computers can reach."""

    code = "site.loopback_required"


def require_loopback_bind(host: str, *, debug: bool) -> None:
    """Refuse (LoopbackRequired, in the current language) to bind a DEBUG site anywhere but
    the loopback: its error pages show settings and the environment."""
    if debug and not is_loopback_host(host):
        from django.utils.translation import gettext as _

        raise LoopbackRequired(
            _(
                "%(host)s is not this computer's loopback address: with debugging on "
                "(SAYLAU_DEBUG=1), the site only listens on 127.0.0.1, ::1 or localhost."
            )
            % {"host": host}
        )
