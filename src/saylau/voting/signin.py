"""Voter sign-in: IIN + phone on the roll, a 6-digit code by SMS, then a session token.

- The answer to "send me a code" is the same whether the IIN is unknown, the phone is wrong,
  the IIN is locked out or everything matches (a challenge id, "if the details match, a code
  was sent"), and the work is the same (one roll query, one guard row, one challenge row; the
  SMS leaves after the answer). Nobody can probe the roll through sign-in.
- Codes are valid SAYLAU_OTP_TTL seconds (5 minutes), stored as an HMAC under the secret key,
  only the latest code of an IIN + phone pair works, and SAYLAU_OTP_MAX_FAILURES (5) wrong
  codes pause the pair for SAYLAU_OTP_LOCKOUT seconds. Resends are throttled
  (SAYLAU_OTP_RESEND seconds apart, SAYLAU_OTP_PER_HOUR an hour), and so are codes requested
  from one network.
- All of it is in database rows keyed by an HMAC of the IIN and the normalised phone
  (`pair_key`, never the IIN): a caller who knows an IIN but not its phone never touches the
  member's guard, pending code or quota (decision 0021). Rows are locked with
  select_for_update: several app servers share them.
- The session token is random and signed (`session_token`, decision 0015), stored as its
  SHA-256, bound to the election, the member id and an expiry; the cast API requires it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from saylau.elections import services as elections
from saylau.elections.models import Election, Status
from saylau.registry import iin as iin_rules
from saylau.registry import phone as phone_rules
from saylau.registry import services as registry
from saylau.voting import network as networks
from saylau.voting import precincts, session_token, sms
from saylau.voting.errors import (
    NotSignedIn,
    SignInInvalid,
    SignInPaused,
    TooManyRequests,
    VotingClosed,
    VotingNotOpen,
    WrongCode,
)
from saylau.voting.models import Challenge, SignInGuard, VoterSession

logger = logging.getLogger(__name__)
HOUR = dt.timedelta(hours=1)


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def otp_ttl() -> int:
    return _setting("SAYLAU_OTP_TTL", 300)


def voter_session_ttl() -> int:
    return _setting("SAYLAU_VOTER_SESSION_TTL", 1800)


def _secret() -> bytes:
    return settings.SECRET_KEY.encode()


def pair_key(iin: str, phone: str) -> str:
    """The key of an IIN + normalised phone pair: guard, challenges and quota hang on it."""
    message = b"saylau.voting.pair\x00" + iin.encode() + b"\x00" + phone.encode()
    return hmac.new(_secret(), message, "sha256").hexdigest()


def _code_hash(challenge_id: str, code: str) -> str:
    message = b"saylau.voting.otp\x00" + challenge_id.encode() + b"\x00" + code.encode()
    return hmac.new(_secret(), message, "sha256").hexdigest()


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


# --- input ------------------------------------------------------------------------------

# What the API takes, stated in its OpenAPI schema (the pages take more spellings and
# normalise them; an IIN's check digit is checked beyond the pattern).
IIN_PATTERN = r"^[0-9]{12}$"
PHONE_PATTERN = r"^\+7(" + "|".join(sorted(phone_rules.MOBILE_PREFIXES)) + r")[0-9]{7}$"
CODE_PATTERN = r"^[0-9]{6}$"
CHALLENGE_PATTERN = r"^[A-Za-z0-9_-]{32}$"


def clean_iin(raw: str) -> str:
    iin = "".join(raw.split())
    if len(iin) != 12 or not iin.isdigit():
        raise SignInInvalid(_("An IIN has exactly 12 digits."), field="iin")
    if not iin_rules.is_valid(iin):
        raise SignInInvalid(_("This is not a valid IIN: check the digits."), field="iin")
    return iin


def clean_phone(raw: str) -> str:
    try:
        return phone_rules.normalize(raw)
    except phone_rules.PhoneError:
        raise SignInInvalid(
            _("Enter a Kazakhstan mobile number, for example +7 701 123 45 67."), field="phone"
        ) from None


def clean_code(raw: str) -> str:
    code = "".join(raw.split())
    if len(code) != 6 or not code.isdigit():
        raise SignInInvalid(_("The code has 6 digits."), field="code")
    return code


def require_open(election: Election, now: dt.datetime) -> None:
    if elections.is_open_for_voting(election, now):
        return
    ended = election.status in (Status.CLOSED, Status.TALLIED, Status.PUBLISHED) or (
        election.closes_at is not None and now >= election.closes_at
    )
    if ended:
        raise voting_closed()
    raise voting_not_open()


def voting_not_open() -> VotingNotOpen:
    return VotingNotOpen(_("Voting in this election has not opened yet."))


def voting_closed() -> VotingClosed:
    return VotingClosed(_("Voting in this election has closed."))


# --- asking for a code ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChallengeIssued:
    challenge: str
    expires_in: int
    resend_after: int


def code_sent_message() -> str:
    return _(
        "If the IIN and phone number match the party's roll for this election, we have sent "
        "a 6-digit code to that phone. It is valid for 5 minutes. No SMS? Check the numbers "
        "and ask again; after 5 wrong codes, sign-in is paused for 30 minutes."
    )


def _guard(election: Election, key: str) -> SignInGuard:
    """The pair's guard row, locked (made if missing: a row this transaction inserted is
    locked by it, and a concurrent insert makes get_or_create read the winner's, locked)."""
    guard, _created = SignInGuard.objects.select_for_update().get_or_create(
        election=election, pair_key=key
    )
    return guard


def _throttle(guard: SignInGuard, now: dt.datetime) -> None:
    resend = dt.timedelta(seconds=_setting("SAYLAU_OTP_RESEND", 60))
    if guard.last_sent_at is not None and now < guard.last_sent_at + resend:
        wait = int((guard.last_sent_at + resend - now).total_seconds()) + 1
        raise TooManyRequests(
            _("A new code can be asked for in %(seconds)d s.") % {"seconds": wait},
            retry_after=wait,
        )
    if guard.window_start is None or now >= guard.window_start + HOUR:
        guard.window_start, guard.sent_in_window = now, 0
    if guard.sent_in_window >= _setting("SAYLAU_OTP_PER_HOUR", 5):
        wait = int((guard.window_start + HOUR - now).total_seconds()) + 1
        raise TooManyRequests(
            _(
                "Too many codes were asked for this IIN and phone number. Please try again in "
                "%(minutes)d minutes."
            )
            % {"minutes": (wait + 59) // 60},
            retry_after=wait,
        )


def _throttle_network(election: Election, network: str, now: dt.datetime) -> None:
    limit = _setting("SAYLAU_SIGNIN_PER_NETWORK_PER_HOUR", 500)
    # Counting stops at the limit: a busy network (a carrier's NAT) costs O(limit), not
    # O(its sign-ins this hour).
    recent = (
        Challenge.objects.filter(election=election, network=network, created_at__gte=now - HOUR)
        .order_by()[:limit]
        .count()
    )
    if recent >= limit:
        raise TooManyRequests(
            _("Too many sign-in attempts from your network address. Please try again later."),
            retry_after=600,
        )


@transaction.atomic
def request_code(
    election: Election, iin: str, phone: str, ip: str, *, now: dt.datetime | None = None
) -> ChallengeIssued:
    """Send a one-time code if the details match the roll; the same answer if they do not."""
    now = now or timezone.now()
    iin, phone = clean_iin(iin), clean_phone(phone)
    require_open(election, now)
    network = networks.network_of(ip)
    _throttle_network(election, network, now)
    key = pair_key(iin, phone)
    guard = _guard(election, key)
    _throttle(guard, now)
    member_id = registry.match_roll_member(election.slug, iin, phone)
    networks.check(election, network, member_id, now)
    locked = guard.locked_until is not None and now < guard.locked_until
    send = member_id is not None and not locked

    challenge_id = secrets.token_urlsafe(24)
    code = f"{secrets.randbelow(10**6):06d}"
    ttl = otp_ttl()
    Challenge.objects.filter(election=election, pair_key=key, used_at__isnull=True).update(
        used_at=now
    )
    Challenge.objects.create(
        election=election,
        key_hash=token_digest(challenge_id),
        pair_key=key,
        member_id=member_id if send else None,
        code_hash=_code_hash(challenge_id, code),
        network=network,
        created_at=now,
        expires_at=now + dt.timedelta(seconds=ttl),
    )
    guard.last_sent_at = now
    guard.sent_in_window += 1
    guard.save(update_fields=["last_sent_at", "window_start", "sent_in_window"])
    if send:
        body = _(
            "saylau: your sign-in code is %(code)s. It is valid for %(minutes)d minutes. "
            "Never tell it to anyone."
        ) % {"code": code, "minutes": max(1, ttl // 60)}
        sms.dispatch(phone, body)
    return ChallengeIssued(challenge_id, ttl, _setting("SAYLAU_OTP_RESEND", 60))


# --- checking the code ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class SessionIssued:
    token: str
    expires_at: dt.datetime
    member_id: int


def wrong_code_message() -> str:
    return _(
        "The code is wrong or has expired. Ask for a new code if you need one; after 5 wrong "
        "codes, sign-in is paused for 30 minutes."
    )


def local_time_text(when: dt.datetime) -> str:
    """A moment in the site's local time with its offset: "21:35, 06.12.2026 (UTC+05:00)"."""
    local = timezone.localtime(when)
    minutes = int((local.utcoffset() or dt.timedelta()).total_seconds()) // 60
    sign = "+" if minutes >= 0 else "-"
    zone = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return f"{date_format(local, 'H:i, d.m.Y')} ({zone})"


def paused_message(until: dt.datetime) -> str:
    return _("Too many wrong codes: sign-in is paused until %(time)s. Then ask for a new code.") % {
        "time": local_time_text(until)
    }


def verify_code(
    election: Election, challenge_id: str, code: str, ip: str, *, now: dt.datetime | None = None
) -> SessionIssued:
    """Check the code of a challenge; start a voter session. Raises WrongCode (the same for a
    wrong, expired or used code, an unknown challenge and a paused pair), or SignInPaused
    to the holder of the challenge whose wrong codes paused its pair."""
    now = now or timezone.now()
    code = clean_code(code)
    require_open(election, now)
    with transaction.atomic():
        outcome = _check_code(election, challenge_id, code, now)
        if isinstance(outcome, int):
            return _start_session(election, outcome, ip, now)
    # Outside the block, so that the counted failure is kept (it is the lockout's record).
    if isinstance(outcome, dt.datetime):
        wait = int((outcome - now).total_seconds()) + 1
        raise SignInPaused(paused_message(outcome), retry_after=wait)
    raise WrongCode(wrong_code_message())


def _check_code(
    election: Election, challenge_id: str, code: str, now: dt.datetime
) -> int | dt.datetime | None:
    """The member id if the code is right; the end of the pause if this challenge's wrong
    codes paused its pair; otherwise None, with a wrong try counted."""
    row = (
        Challenge.objects.select_for_update()
        .filter(election=election, key_hash=token_digest(challenge_id))
        .first()
    )
    if row is None:
        return None
    if row.paused_until is not None and now < row.paused_until:
        return row.paused_until
    guard = _guard(election, row.pair_key)
    matches = hmac.compare_digest(_code_hash(challenge_id, code), row.code_hash)
    if guard.locked_until is not None and now < guard.locked_until:
        return None
    if row.used_at is not None or now >= row.expires_at:
        return None
    if row.member_id is None or not matches:
        return _count_failure(election, guard, row, now)
    guard.failures = 0
    guard.save(update_fields=["failures"])
    row.used_at = now
    row.save(update_fields=["used_at"])
    return int(row.member_id)


def _count_failure(
    election: Election, guard: SignInGuard, row: Challenge, now: dt.datetime
) -> dt.datetime | None:
    """Count a wrong code against the pair; at the limit, pause the pair and cancel its
    pending challenges (this one remembers the pause, to say until when)."""
    guard.failures += 1
    paused = None
    if guard.failures >= _setting("SAYLAU_OTP_MAX_FAILURES", 5):
        paused = now + dt.timedelta(seconds=_setting("SAYLAU_OTP_LOCKOUT", 1800))
        guard.locked_until, guard.failures = paused, 0
        Challenge.objects.filter(
            election=election, pair_key=row.pair_key, used_at__isnull=True
        ).update(used_at=now)
        row.paused_until = paused
        row.save(update_fields=["paused_until"])
    guard.save(update_fields=["failures", "locked_until"])
    return paused


def _start_session(election: Election, member_id: int, ip: str, now: dt.datetime) -> SessionIssued:
    precincts.refuse_paper_voter(election, member_id)
    network = networks.network_of(ip)
    networks.record(election, network, member_id, now)
    expires_at = now + dt.timedelta(seconds=voter_session_ttl())
    token = session_token.issue(election.pk, expires_at)
    VoterSession.objects.create(
        election=election,
        member_id=member_id,
        token_hash=token_digest(token),
        network=network,
        created_at=now,
        expires_at=expires_at,
    )
    logger.info("voter signed in to %s (member #%s)", election.slug, member_id)
    return SessionIssued(token, expires_at, member_id)


# --- sessions ---------------------------------------------------------------------------


def session_member(election: Election, token: str | None, *, now: dt.datetime | None = None) -> int:
    """The member id of a live session of this election, or NotSignedIn."""
    return session_member_by_digest(election, token_digest(token) if token else None, now=now)


def session_member_by_digest(
    election: Election, digest: str | None, *, now: dt.datetime | None = None
) -> int:
    """As `session_member`, from the token's digest (what the pages keep in their session)."""
    now = now or timezone.now()
    member_id = None
    if digest:
        # Raw SQL: asked on every authenticated call (each cast); token_hash is unique.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT member_id FROM voting_votersession"
                " WHERE token_hash = %s AND election_id = %s AND expires_at > %s",
                [digest, election.pk, connection.ops.adapt_datetimefield_value(now)],
            )
            row = cursor.fetchone()
        member_id = row[0] if row is not None else None
    if member_id is None:
        raise not_signed_in()
    return int(member_id)


def not_signed_in() -> NotSignedIn:
    return NotSignedIn(_("Please sign in first; your session may have expired."))


def end_session(election: Election, token: str) -> None:
    """End a live session; NotSignedIn if the token names none (sign-out answers 401)."""
    if not end_session_by_digest(election, token_digest(token)):
        raise not_signed_in()


def end_session_by_digest(election: Election, digest: str) -> bool:
    """End the session of this token digest; whether there was one."""
    deleted, _rows = VoterSession.objects.filter(election=election, token_hash=digest).delete()
    return deleted > 0
