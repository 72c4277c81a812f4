"""Seats of the trustees (1..n) and of the credential authority (0), and their bearer tokens.

A token is 256 random bits, shown once when the seat is made (or its token reissued); the
server keeps only its SHA-256, which is enough for a secret of that size. Trustees and the
CA send it as `Authorization: Bearer <token>`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from saylau.elections.audit import audit
from saylau.elections.errors import NotAuthorised, NotReady
from saylau.elections.models import Election, IssuedToken, Seat, Status

TOKEN_PREFIX = "sly_"  # noqa: S105 - a prefix, not a secret


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _new_token() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def create_seats(election: Election, names: list[str] | None = None) -> list[IssuedToken]:
    """The n trustee seats and the CA's seat, with their tokens (in the caller's transaction)."""
    names = names or []
    issued = []
    for index in range(0, election.trustees + 1):
        role = Seat.Role.CA if index == 0 else Seat.Role.TRUSTEE
        default = _("Credential authority") if index == 0 else _("Trustee %(n)d") % {"n": index}
        name = (names[index - 1] if 0 < index <= len(names) else "") or str(default)
        token = _new_token()
        Seat.objects.create(
            election=election, role=role, index=index, name=name, token_hash=token_hash(token)
        )
        issued.append(IssuedToken(role, index, name, token))
    return issued


@transaction.atomic
def reissue_token(election: Election, role: str, index: int, *, actor: str) -> IssuedToken:
    """A new token for a seat (the old one stops working), e.g. when a trustee lost it."""
    if election.status in (Status.TALLIED, Status.PUBLISHED):
        raise NotReady(_("The election is tallied; its seats are closed."))
    try:
        seat = Seat.objects.select_for_update().get(election=election, role=role, index=index)
    except Seat.DoesNotExist:
        raise NotReady(_("There is no such seat in this election.")) from None
    token = _new_token()
    seat.token_hash = token_hash(token)
    seat.save(update_fields=["token_hash"])
    audit(election, actor, "seat.token_reissued", role=role, index=index)
    return IssuedToken(role, index, seat.name, token)


def authenticate(election: Election, token: str | None, role: str) -> Seat:
    """The seat of `role` in `election` that `token` opens; NotAuthorised otherwise."""
    if token:
        seat = Seat.objects.filter(token_hash=token_hash(token)).first()
        if (
            seat is not None
            and seat.election_id == election.pk
            and seat.role == role
            and hmac.compare_digest(seat.token_hash, token_hash(token))
        ):
            return seat
    raise NotAuthorised(_("This token does not open a seat in this election."))


def seats(election: Election) -> list[Seat]:
    return list(Seat.objects.filter(election=election).order_by("role", "index"))
