"""A cap on public complaints from one network, so the form cannot be flooded.

SAYLAU_COMPLAINTS_PER_HOUR (30: mobile carriers put many phones behind one address)
complaints through the web form from one network (an IPv4 address or an IPv6 /64, as the
sign-in counts them) within an hour refuse the next, saying until when, and point to the
hotline. The network is stored only as an HMAC with the site's secret: no
address is kept. Hotline and e-mail complaints are not capped here.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.complaints.errors import ComplaintError
from saylau.complaints.models import Complaint
from saylau.voting.network import network_of
from saylau.voting.signin import local_time_text
from saylau.web import flood

WINDOW = dt.timedelta(hours=1)


class TooManyComplaints(ComplaintError):
    status = 429
    code = "complaints.too_many"


def source_key(ip: str) -> str:
    """The HMAC of the address's network (empty for no address)."""
    return flood.network_key("saylau.complaints.source", network_of(ip) if ip else "")


def check(key: str, now: dt.datetime | None = None) -> None:
    """Raise TooManyComplaints when the network of `key` has sent its hour's share."""
    if not key:
        return
    now = now or timezone.now()
    limit = int(getattr(settings, "SAYLAU_COMPLAINTS_PER_HOUR", 30))
    until = flood.rows_refused_until(Complaint.objects.all(), key, limit, WINDOW, now)
    if until is not None:
        raise TooManyComplaints(
            _(
                "Too many complaints were sent from your network in the last hour. "
                "Please try again after %(time)s, or call the hotline."
            )
            % {"time": local_time_text(until)}
        )
