"""The server's side of the credential authority (CA): the closed roll for the CA, and the
upload of the public credentials with the private member mapping (decision 0002).

The roll export is the one place phone numbers leave the server: to the CA, over the API,
authenticated by the CA's token, in pages; it is never logged, and the audit log records
only that an export happened and how many members it held. The upload comes in batches of
(member, district, public credential), each row checked against the closed roll (a batch
sent again is accepted; a conflicting one refused), then `complete_upload` compares the CA's
counts per district and a digest of its public lists with what the server holds: one
credential per member on the roll, per district, each a valid group element, no repeats.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from saylau.crypto.encoding import element_from_hex
from saylau.crypto.errors import InvalidEncoding
from saylau.crypto.group import IDENTITY, Element
from saylau.elections.audit import audit
from saylau.elections.errors import CredentialsRejected, NotReady, TransitionRefused
from saylau.elections.models import Election, PublicCredential, Seat, Status
from saylau.protocol.credentials import CredentialList, check_counts, list_digest
from saylau.protocol.errors import InvalidCredential
from saylau.registry import services as registry

#: The stages in which the CA may fetch the roll and upload (the roll is closed).
CA_STAGES = (Status.ROLL_CLOSED, Status.KEYS_READY)


def manifest_districts(election: Election) -> list[str]:
    return [d["id"] for d in election.manifest["districts"]]


def roll_counts(election: Election) -> dict[str, int]:
    """Members on the closed roll per manifest district; refuses a roll with members in a
    district the manifest does not have (they could not vote)."""
    published = registry.published_counts(election.slug)
    counts = {d.code: d.count for d in published.districts}
    wanted = manifest_districts(election)
    outside = sorted(code for code, n in counts.items() if n and code not in wanted)
    if outside:
        raise TransitionRefused(
            _("The roll has members in districts the manifest does not have: %(ids)s")
            % {"ids": ", ".join(outside)}
        )
    return {code: counts.get(code, 0) for code in wanted}


def _require_stage(election: Election) -> None:
    if election.status not in CA_STAGES:
        raise NotReady(
            _("The credential authority works after the roll is closed and before voting.")
        )


ROLL_PAGE = 10_000
UPLOAD_BATCH = 5_000


def roll_for_ca(
    election: Election, *, after: int = 0, limit: int = ROLL_PAGE, actor: str = "ca"
) -> dict[str, Any]:
    """One page of the closed roll as the CA needs it (member id, district at closing,
    phone, language), members with id > `after`, by id; `next` is the cursor or None."""
    _require_stage(election)
    counts = roll_counts(election)
    limit = max(1, min(limit, ROLL_PAGE))
    rows = list(
        registry.roll_entries(election.slug)
        .filter(member_id__gt=after)
        .values_list("member_id", "district_id", "member__phone")[: limit + 1]
    )
    more = len(rows) > limit
    rows = rows[:limit]
    language = settings.LANGUAGE_CODE
    if after == 0:
        audit(election, actor, "ca.roll_exported", members=sum(counts.values()))
    return {
        "election": election.slug,
        "title": election.manifest["title"],
        "districts": counts,
        "members": [
            {"member": m, "district": d, "phone": phone, "language": language}
            for m, d, phone in rows
        ],
        "next": rows[-1][0] if more else None,
    }


class _Refused(Exception):
    pass


def _credential(text: Any, where: str) -> str:
    try:
        element = element_from_hex(text, where)
    except InvalidEncoding as error:
        raise _Refused(str(error)) from None
    if element == IDENTITY:
        raise _Refused(f"{where}: the identity element is not a credential")
    return element.hex()


def _check_batch(election: Election, payload: Any) -> list[PublicCredential]:
    """The new rows of one upload batch, each checked against the roll and what is stored;
    rows already stored identically (a batch sent again) are skipped."""
    if not isinstance(payload, dict) or set(payload) != {"members"}:
        raise _Refused('expected {"members": [{"member", "district", "credential"}, ...]}')
    rows = payload["members"]
    if not isinstance(rows, list) or len(rows) > UPLOAD_BATCH:
        raise _Refused(f"members: expected a list of at most {UPLOAD_BATCH} rows")
    parsed: list[tuple[int, str, str]] = []
    for k, row in enumerate(rows):
        if not isinstance(row, dict) or set(row) != {"member", "district", "credential"}:
            raise _Refused(f"members[{k}]: expected member, district and credential")
        member = row["member"]
        if isinstance(member, bool) or not isinstance(member, int):
            raise _Refused(f"members[{k}].member: expected a member id")
        parsed.append((member, row["district"], _credential(row["credential"], f"members[{k}]")))
    ids = [m for m, _d, _c in parsed]
    creds = [c for _m, _d, c in parsed]
    if len(set(ids)) != len(ids) or len(set(creds)) != len(creds):
        raise _Refused("a member or a credential appears twice in the batch")
    on_roll = dict(
        registry.roll_entries(election.slug)
        .filter(member_id__in=ids)
        .values_list("member_id", "district_id")
    )
    stored = PublicCredential.objects.filter(election=election)
    by_member = dict(stored.filter(member_id__in=ids).values_list("member_id", "credential"))
    taken = set(stored.filter(credential__in=creds).values_list("credential", flat=True))
    new = []
    for k, (member, district, credential) in enumerate(parsed):
        if on_roll.get(member) is None:
            raise _Refused(f"members[{k}]: not a member on the closed roll")
        if on_roll[member] != district:
            raise _Refused(f"members[{k}]: the member is on the roll in another district")
        if member in by_member:
            if by_member[member] != credential:
                raise _Refused(f"members[{k}]: the member already has another credential")
            continue
        if credential in taken:
            raise _Refused(f"members[{k}]: the credential is already given to another member")
        new.append(
            PublicCredential(
                election=election, district=district, credential=credential, member_id=member
            )
        )
    return new


def _refusing(election: Election, actor: str, action: str, fn: Any) -> Any:
    try:
        with transaction.atomic():
            return fn(Election.objects.select_for_update().get(pk=election.pk))
    except _Refused as refused:
        audit(election, actor, action, reason=str(refused))
        raise CredentialsRejected(
            _("The credentials were refused: %(problem)s") % {"problem": refused}
        ) from None


def upload_batch(election: Election, payload: Any, *, actor: str = "ca") -> int:
    """Store one batch of (member, district, public credential); returns how many are new."""

    def store(locked: Election) -> int:
        _require_stage(locked)
        if _ca_seat(locked).finished_at is not None:
            raise NotReady(_("The credentials of this election are already complete."))
        new = _check_batch(locked, payload)
        PublicCredential.objects.bulk_create(new, batch_size=UPLOAD_BATCH)
        return len(new)

    return int(_refusing(election, actor, "ca.upload_rejected", store))


def complete_upload(election: Election, payload: Any, *, actor: str = "ca") -> dict[str, int]:
    """The CA's last step: its counts and list digest must match what the server holds and
    the closed roll; then the CA's seat is finished (and its secrets may be destroyed)."""

    def complete(locked: Election) -> dict[str, int]:
        _require_stage(locked)
        seat = _ca_seat(locked)
        if seat.finished_at is not None:
            raise NotReady(_("The credentials of this election are already complete."))
        if not isinstance(payload, dict) or set(payload) != {"counts", "digest"}:
            raise _Refused('expected {"counts": {district: n}, "digest": hex}')
        counts = roll_counts(locked)
        if payload["counts"] != counts:
            raise _Refused(f"the counts {payload['counts']} differ from the roll's {counts}")
        try:
            check_issued(locked)
        except TransitionRefused as error:
            raise _Refused(str(error)) from None
        if payload["digest"] != list_digest(credential_lists(locked)):
            raise _Refused("the list digest differs from the credentials the server holds")
        seat.finished_at = timezone.now()
        seat.save(update_fields=["finished_at"])
        audit(
            locked,
            actor,
            "ca.upload",
            credentials=sum(counts.values()),
            districts=counts,
            digest=payload["digest"],
        )
        return counts

    return dict(_refusing(election, actor, "ca.upload_rejected", complete))


def _ca_seat(election: Election) -> Seat:
    return Seat.objects.get(election=election, role=Seat.Role.CA, index=0)


def upload_complete(election: Election) -> bool:
    return Seat.objects.filter(
        election=election, role=Seat.Role.CA, finished_at__isnull=False
    ).exists()


def check_issued(election: Election) -> None:
    """The stored credentials match the closed roll: the verifier's count check
    (protocol.credentials.check_counts) and one credential for every member on the roll."""
    counts = roll_counts(election)
    lists = credential_lists(election)
    try:
        check_counts(
            CredentialList(
                {d: tuple(Element(bytes.fromhex(c)) for c in cs) for d, cs in lists.items()}
            ),
            counts,
        )
    except InvalidCredential as error:
        raise TransitionRefused(
            _("The uploaded credentials do not match the closed roll: %(problem)s")
            % {"problem": error}
        ) from None
    on_roll = dict(registry.roll_entries(election.slug).values_list("member_id", "district_id"))
    mapped = dict(
        PublicCredential.objects.filter(election=election).values_list("member_id", "district")
    )
    if mapped != on_roll:
        raise TransitionRefused(
            _("Not every member on the closed roll has exactly one credential.")
        )


def credential_lists(election: Election) -> dict[str, list[str]]:
    """The public credentials per manifest district, sorted (credentials.json)."""
    lists: dict[str, list[str]] = {d: [] for d in manifest_districts(election)}
    for district, credential in (
        PublicCredential.objects.filter(election=election)
        .order_by("credential")
        .values_list("district", "credential")
    ):
        lists.setdefault(district, []).append(credential)
    return lists
