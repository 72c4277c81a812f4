"""The key ceremony, relayed by the server (decision 0004).

Trustees run `saylau trustee ceremony` on their own machines; the server only relays their
public messages, checks each one with saylau.crypto.dkg as it arrives (a bad one is refused
with a clear 4xx and an audit event), and never sees a secret. Phases, in order:

    keys         every trustee posts its transport key (all n are needed)
    deals        every trustee deals (Pedersen VSS), signed by its transport key
    complaints   every trustee posts its complaints (a list, maybe empty): the disclosure of
                 each share it received that fails the Pedersen check → QUAL
    extractions  every dealer in QUAL posts its Feldman commitments
    disclosures  every trustee posts the disclosures it owes (a list, maybe empty): its
                 shares that fail the Feldman check, and its shares of every dealer to be
                 rebuilt (a missing or bad extraction) → the transcript
    complete     the server assembled the transcript and it verifies (or `failed`)

A phase ends when every trustee has done its part; the organiser may close a phase early
(`force_advance`) when a trustee stays silent: a silent dealer is then left out of QUAL or
rebuilt from the others' shares. Transport keys cannot be skipped.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from saylau.crypto import dkg, dkg_json
from saylau.crypto.dkg import Deal, Extraction, ShareDisclosure, TransportKey
from saylau.crypto.errors import InvalidDkg, InvalidEncoding, InvalidShare
from saylau.crypto.hashing import Item
from saylau.elections.audit import audit
from saylau.elections.errors import MessageConflict, MessageRejected, NotReady
from saylau.elections.models import Ceremony, Election, Phase, RelayedMessage, Status
from saylau.protocol.keyceremony import dkg_context

Kind = RelayedMessage.Kind
PHASE_OF_KIND: dict[str, Phase] = {
    Kind.TRANSPORT_KEY: Phase.KEYS,
    Kind.DEAL: Phase.DEALS,
    Kind.COMPLAINT: Phase.COMPLAINTS,
    Kind.EXTRACTION: Phase.EXTRACTIONS,
    Kind.DISCLOSURE: Phase.DISCLOSURES,
}
ORDER = [Phase.KEYS, Phase.DEALS, Phase.COMPLAINTS, Phase.EXTRACTIONS, Phase.DISCLOSURES]
#: The stages in which the ceremony may run (it must be complete for keys_ready).
CEREMONY_STAGES = (Status.DRAFT, Status.ROLL_CLOSED)
Pair = tuple[int, int]


def context(election: Election) -> list[Item]:
    return dkg_context(election.slug, election.trustees, election.threshold)


def get_ceremony(election: Election) -> Ceremony:
    ceremony, _created = Ceremony.objects.get_or_create(election=election)
    return ceremony


@dataclasses.dataclass
class Board:
    """Every message accepted so far, decoded (each was checked when it arrived)."""

    n: int
    t: int
    keys: dict[int, TransportKey] = dataclasses.field(default_factory=dict)
    deals: dict[int, Deal] = dataclasses.field(default_factory=dict)
    complaints: dict[Pair, ShareDisclosure] = dataclasses.field(default_factory=dict)
    extractions: dict[int, Extraction] = dataclasses.field(default_factory=dict)
    disclosures: dict[Pair, ShareDisclosure] = dataclasses.field(default_factory=dict)
    posted: dict[str, set[int]] = dataclasses.field(default_factory=dict)

    def ordered(
        self,
    ) -> tuple[
        list[TransportKey],
        list[Deal],
        list[ShareDisclosure],
        list[Extraction],
        list[ShareDisclosure],
    ]:
        """(keys, deals, complaints, extractions, disclosures) in canonical order."""
        return (
            [self.keys[j] for j in sorted(self.keys)],
            [self.deals[i] for i in sorted(self.deals)],
            [self.complaints[p] for p in sorted(self.complaints)],
            [self.extractions[i] for i in sorted(self.extractions)],
            [self.disclosures[p] for p in sorted(self.disclosures)],
        )

    def key_map(self) -> dict[int, Any]:
        return {j: k.public for j, k in self.keys.items()}

    def disclosed(self) -> set[Pair]:
        return set(self.complaints) | set(self.disclosures)


def _disclosure_list(payload: Any) -> list[ShareDisclosure]:
    if not isinstance(payload, dict) or set(payload) != {"disclosures"}:
        raise InvalidEncoding('payload: expected {"disclosures": [...]}')
    items = payload["disclosures"]
    if not isinstance(items, list):
        raise InvalidEncoding("payload.disclosures: expected a JSON array")
    return [dkg_json.disclosure_from_json(c, f"disclosures[{k}]") for k, c in enumerate(items)]


def load_board(election: Election) -> Board:
    board = Board(election.trustees, election.threshold)
    rows = RelayedMessage.objects.filter(election=election, kind__in=list(PHASE_OF_KIND))
    for kind, sender, payload in rows.values_list("kind", "sender", "payload"):
        board.posted.setdefault(kind, set()).add(sender)
        if kind == Kind.TRANSPORT_KEY:
            board.keys[sender] = dkg_json.transport_key_from_json(payload)
        elif kind == Kind.DEAL:
            board.deals[sender] = dkg_json.deal_from_json(payload)
        elif kind == Kind.EXTRACTION:
            board.extractions[sender] = dkg_json.extraction_from_json(payload)
        else:
            target = board.complaints if kind == Kind.COMPLAINT else board.disclosures
            for c in _disclosure_list(payload):
                target[(c.dealer, c.recipient)] = c
    return board


# --- checking one message ---------------------------------------------------------------


def _check_disclosures(
    board: Board, sender: int, items: list[ShareDisclosure], ctx: list[Item], qual: set[int]
) -> None:
    seen: set[Pair] = set()
    for c in items:
        pair = (c.dealer, c.recipient)
        if c.recipient != sender:
            raise InvalidDkg(f"disclosure {pair}: a trustee may only disclose its own shares")
        if c.dealer == sender or c.dealer not in board.deals:
            raise InvalidDkg(f"disclosure {pair}: dealer {c.dealer} has no deal for you")
        if qual and c.dealer not in qual:
            raise InvalidDkg(f"disclosure {pair}: dealer {c.dealer} is not in QUAL")
        if pair in seen or pair in board.disclosed():
            raise InvalidDkg(f"disclosure {pair}: this share is already disclosed")
        seen.add(pair)
        try:
            dkg.judge_disclosure(c, board.deals[c.dealer], board.key_map(), ctx)
        except InvalidShare:
            pass  # a founded complaint: the dealer is at fault, the disclosure stands


def _check(
    board: Board, ceremony: Ceremony, kind: str, sender: int, payload: Any, ctx: list[Item]
) -> None:
    """Decode and check a message; raise InvalidEncoding / InvalidDkg naming the problem."""
    n, t = board.n, board.t
    if kind == Kind.TRANSPORT_KEY:
        key = dkg_json.transport_key_from_json(payload)
        if key.trustee != sender:
            raise InvalidDkg(f"transport key of trustee {key.trustee} sent by trustee {sender}")
        dkg.check_transport_key(key, ctx)
    elif kind == Kind.DEAL:
        deal = dkg_json.deal_from_json(payload)
        if deal.dealer != sender:
            raise InvalidDkg(f"deal of dealer {deal.dealer} sent by trustee {sender}")
        dkg.check_deal(deal, n, t, board.key_map(), ctx)
    elif kind == Kind.EXTRACTION:
        extraction = dkg_json.extraction_from_json(payload)
        if extraction.dealer != sender:
            raise InvalidDkg(f"extraction of dealer {extraction.dealer} sent by {sender}")
        if sender not in ceremony.qual:
            raise InvalidDkg(f"dealer {sender} is not in QUAL and has nothing to extract")
        dkg.check_extraction(extraction, t, board.key_map(), ctx)
    else:
        qual = set(ceremony.qual) if kind == Kind.DISCLOSURE else set()
        _check_disclosures(board, sender, _disclosure_list(payload), ctx, qual)


def _once_only(kind: str) -> bool:
    return kind != Kind.DISCLOSURE


class _Refused(Exception):
    def __init__(self, error: MessageRejected | MessageConflict, reason: str) -> None:
        super().__init__(reason)
        self.error = error
        self.reason = reason


def submit(election: Election, sender: int, kind: str, payload: Any) -> RelayedMessage:
    """Check and store one trustee's message; move the ceremony on when a phase is done.

    A refused message changes nothing but the audit log, which records the refusal."""
    try:
        with transaction.atomic():
            return _submit(election, sender, kind, payload)
    except _Refused as refused:
        audit(election, f"trustee:{sender}", "ceremony.rejected", kind=kind, reason=refused.reason)
        raise refused.error from None


def _submit(election: Election, sender: int, kind: str, payload: Any) -> RelayedMessage:
    election = Election.objects.select_for_update().get(pk=election.pk)
    ceremony = get_ceremony(election)
    if kind not in PHASE_OF_KIND:
        raise _Refused(MessageRejected(_("Unknown message kind.")), "unknown kind")
    if election.status not in CEREMONY_STAGES or ceremony.phase != PHASE_OF_KIND[kind]:
        raise _Refused(
            MessageConflict(
                _("The key ceremony is in phase “%(phase)s”: this message is not accepted now.")
                % {"phase": Phase(ceremony.phase).label}
            ),
            f"wrong phase ({ceremony.phase})",
        )
    board = load_board(election)
    if _once_only(kind) and sender in board.posted.get(kind, set()):
        raise _Refused(
            MessageConflict(_("You have already sent this message; it cannot be replaced.")),
            "already sent",
        )
    try:
        _check(board, ceremony, kind, sender, payload, context(election))
    except (InvalidEncoding, InvalidDkg) as error:
        raise _Refused(
            MessageRejected(_("The server refused the message: %(problem)s") % {"problem": error}),
            str(error),
        ) from None
    message = RelayedMessage.objects.create(
        election=election, kind=kind, sender=sender, payload=payload
    )
    actor = f"trustee:{sender}"
    audit(election, actor, "ceremony.accepted", kind=kind)
    _advance(election, ceremony, actor)
    return message


# --- phases -------------------------------------------------------------------------------


def waiting_for(election: Election, ceremony: Ceremony, board: Board) -> list[int]:
    """The trustees who still have something to send in the current phase."""
    everyone = range(1, board.n + 1)
    if ceremony.phase == Phase.KEYS:
        return [j for j in everyone if j not in board.keys]
    if ceremony.phase == Phase.DEALS:
        return [j for j in everyone if j not in board.deals]
    if ceremony.phase == Phase.COMPLAINTS:
        return [j for j in everyone if j not in board.posted.get(Kind.COMPLAINT, set())]
    if ceremony.phase == Phase.EXTRACTIONS:
        return [i for i in ceremony.qual if i not in board.extractions]
    if ceremony.phase == Phase.DISCLOSURES:
        owed = rebuild(election, board)
        posted = board.posted.get(Kind.DISCLOSURE, set())
        disclosed = board.disclosed()
        return [
            j
            for j in everyone
            if j not in posted or any((i, j) not in disclosed for i in owed if i != j)
        ]
    return []


def rebuild(election: Election, board: Board) -> tuple[int, ...]:
    """Dealers in QUAL whose polynomial must be rebuilt (missing or bad extraction)."""
    return dkg.to_reconstruct(board.n, board.t, *board.ordered(), context(election))


def _next_phase(election: Election, ceremony: Ceremony, board: Board, forced: bool) -> str:
    """Leave the current phase: compute what it decides, return the next phase."""
    if ceremony.phase == Phase.COMPLAINTS:
        keys, deals, complaints, _e, _d = board.ordered()
        ceremony.qual = list(
            dkg.qualified(board.n, board.t, keys, deals, complaints, context(election))
        )
        if not ceremony.qual:
            ceremony.note = "no dealer qualified"
            return Phase.FAILED
    if ceremony.phase == Phase.DISCLOSURES:
        try:
            transcript = dkg.assemble_transcript(
                board.n, board.t, *board.ordered(), context(election)
            )
            result = dkg.verify_transcript(transcript, context(election))
        except InvalidDkg as error:
            if forced:
                raise NotReady(
                    _("The ceremony cannot finish yet: %(problem)s") % {"problem": error}
                ) from None
            ceremony.note = str(error)
            return Phase.FAILED
        ceremony.transcript = dkg_json.transcript_to_json(transcript)
        ceremony.verification_keys = {
            str(j): key.hex() for j, key in result.verification_keys.items()
        }
        audit(
            election,
            "system:ceremony",
            "ceremony.complete",
            joint_public_key=transcript.joint_public_key.hex(),
            qual=list(result.qual),
            reconstructed=list(result.reconstructed),
        )
        return Phase.COMPLETE
    return ORDER[ORDER.index(Phase(ceremony.phase)) + 1]


def _advance(election: Election, ceremony: Ceremony, actor: str) -> None:
    while ceremony.phase in ORDER:
        board = load_board(election)
        if waiting_for(election, ceremony, board):
            break
        previous = ceremony.phase
        ceremony.phase = _next_phase(election, ceremony, board, forced=False)
        ceremony.save()
        audit(election, actor, "ceremony.phase", previous=previous, phase=ceremony.phase)


@transaction.atomic
def force_advance(election: Election, *, actor: str) -> Ceremony:
    """Close the current phase without the trustees who stayed silent (organiser)."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    ceremony = get_ceremony(election)
    if election.status not in CEREMONY_STAGES or ceremony.phase not in ORDER:
        raise NotReady(_("The key ceremony has no phase to close."))
    if ceremony.phase == Phase.KEYS:
        raise NotReady(_("Every trustee must send a transport key; this phase cannot be skipped."))
    board = load_board(election)
    missing = waiting_for(election, ceremony, board)
    if ceremony.phase == Phase.DEALS and not board.deals:
        raise NotReady(_("No trustee has dealt yet."))
    previous = ceremony.phase
    ceremony.phase = _next_phase(election, ceremony, board, forced=True)
    ceremony.save()
    audit(
        election,
        actor,
        "ceremony.phase_forced",
        previous=previous,
        phase=ceremony.phase,
        silent=missing,
    )
    _advance(election, ceremony, actor)
    return ceremony


@transaction.atomic
def reset(election: Election, *, actor: str) -> None:
    """Start the ceremony again (after it failed): every relayed message is discarded."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    if election.status not in CEREMONY_STAGES:
        raise NotReady(_("The key ceremony can only be restarted before the keys are ready."))
    RelayedMessage.objects.filter(election=election, kind__in=list(PHASE_OF_KIND)).delete()
    Ceremony.objects.filter(election=election).delete()
    audit(election, actor, "ceremony.reset")


def state(election: Election, you: int | None = None) -> dict[str, Any]:
    """Everything public about the ceremony, for the trustees' tool."""
    ceremony = get_ceremony(election)
    board = load_board(election)
    keys, deals, complaints, extractions, disclosures = board.ordered()

    def as_json(fn: Callable[[Any], dict[str, Any]], items: Iterable[Any]) -> list[Any]:
        return [fn(x) for x in items]

    in_disclosures = ceremony.phase == Phase.DISCLOSURES
    return {
        "election": election.slug,
        "trustees": election.trustees,
        "threshold": election.threshold,
        # protocol.keyceremony.dkg_context: every message hashes these four items
        "context": ["saylau-v1/dkg", election.slug, election.trustees, election.threshold],
        "you": you,
        "phase": ceremony.phase,
        "waiting_for": waiting_for(election, ceremony, board),
        "transport_keys": as_json(dkg_json.transport_key_to_json, keys),
        "deals": as_json(dkg_json.deal_to_json, deals),
        "complaints": as_json(dkg_json.disclosure_to_json, complaints),
        "complaints_from": sorted(board.posted.get(Kind.COMPLAINT, set())),
        "qual": list(ceremony.qual),
        "extractions": as_json(dkg_json.extraction_to_json, extractions),
        "disclosures": as_json(dkg_json.disclosure_to_json, disclosures),
        "disclosures_from": sorted(board.posted.get(Kind.DISCLOSURE, set())),
        "to_reconstruct": list(rebuild(election, board)) if in_disclosures else [],
        "transcript": ceremony.transcript,
        "note": ceremony.note,
    }
