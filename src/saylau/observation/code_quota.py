"""How often an applicant's phone code may be sent, so the form cannot be used to send SMS
in bulk (each code is a CodeSent row):

- per applicant, SAYLAU_RECRUIT_CODE_COOLDOWN seconds (60) between two codes and at most
  SAYLAU_RECRUIT_CODES_PER_DAY (5) in 24 hours;
- per network (an IPv4 address or an IPv6 /64, kept only as an HMAC, web.flood),
  SAYLAU_RECRUIT_PER_NETWORK_PER_HOUR (20) applications, resends and lost-link requests an
  hour.

A refusal says until when; nothing is sent and nothing is written.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from saylau.observation.errors import ObservationError
from saylau.observation.models import CodeSent, Observer
from saylau.voting.network import network_of
from saylau.voting.signin import local_time_text
from saylau.web import flood

DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


class TooManyCodes(ObservationError):
    status = 429
    code = "observation.too_many_codes"

    def __init__(self, message: str, *, until: dt.datetime, now: dt.datetime) -> None:
        super().__init__(message)
        self.until = until
        self.headers = {"Retry-After": str(max(1, int((until - now).total_seconds()) + 1))}


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def source_key(ip: str) -> str:
    """The HMAC of the address's network (empty for no address)."""
    return flood.network_key("saylau.observation.recruit", network_of(ip) if ip else "")


def _times(rows: QuerySet[CodeSent], limit: int) -> list[dt.datetime]:
    return list(rows.order_by("-sent_at").values_list("sent_at", flat=True)[:limit])


def check_times(newest_first: list[dt.datetime], now: dt.datetime) -> None:
    """Raise TooManyCodes if one more code may not follow these (the codes one applicant
    was sent, or asked for, in the last 24 hours, newest first)."""
    cooldown = dt.timedelta(seconds=_setting("SAYLAU_RECRUIT_CODE_COOLDOWN", 60))
    daily = _setting("SAYLAU_RECRUIT_CODES_PER_DAY", 5)
    times = [t for t in newest_first if t > now - DAY][:daily]
    if times and now < times[0] + cooldown:
        until = times[0] + cooldown
        seconds = int((until - now).total_seconds()) + 1
        raise TooManyCodes(
            _("A new code can be sent in %(seconds)d s.") % {"seconds": seconds},
            until=until,
            now=now,
        )
    until_day = flood.refused_until(times, daily, DAY)
    if until_day is not None:
        raise TooManyCodes(
            _("You have asked for too many codes today. Please try again after %(time)s.")
            % {"time": local_time_text(until_day)},
            until=until_day,
            now=now,
        )


def check_network(key: str, now: dt.datetime) -> None:
    """Raise TooManyCodes if the network `key` asked for its hour's codes already."""
    if not key:
        return
    limit = _setting("SAYLAU_RECRUIT_PER_NETWORK_PER_HOUR", 20)
    recent = CodeSent.objects.filter(network_key=key, sent_at__gt=now - HOUR)
    until_net = flood.refused_until(_times(recent, limit), limit, HOUR)
    if until_net is not None:
        raise TooManyCodes(
            _(
                "Too many applications and codes were sent from your network in the last "
                "hour. Please try again after %(time)s."
            )
            % {"time": local_time_text(until_net)},
            until=until_net,
            now=now,
        )


def check(observer: Observer | None, key: str, now: dt.datetime) -> None:
    """Raise TooManyCodes if a code may not be sent now (observer None: a new application)."""
    if observer is not None:
        mine = CodeSent.objects.filter(observer=observer, sent_at__gt=now - DAY)
        check_times(_times(mine, _setting("SAYLAU_RECRUIT_CODES_PER_DAY", 5)), now)
    check_network(key, now)


def record(observer: Observer | None, key: str, now: dt.datetime) -> None:
    """A code sent to `observer`, or (None) asked for and not sent: the network's cap counts
    both, so it answers alike whether or not an IIN applied (decision 0046)."""
    CodeSent.objects.create(observer=observer, network_key=key, sent_at=now)
