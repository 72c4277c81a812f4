"""A precinct protocol: the paper count of one contest at one polling station, and the
control relations every protocol must satisfy (docs/protocol.md §13).

The same relations are checked when a commission enters a protocol, by `saylau paper
check-protocols` over a commission's CSV export, and by the verifier over the published
protocols. Each relation has a stable code; `RELATIONS[code] % params` is its English
message (the msgid a front end translates).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from saylau.protocol.errors import ProtocolError

# The protocol's count lines, in the order a commission fills them in.
FIELDS: tuple[str, ...] = (
    "voters_on_list",
    "ballots_received",
    "ballots_issued",
    "ballots_cancelled",
    "ballots_spoiled",
    "ballots_lost",
    "ballots_in_boxes",
    "invalid",
    "valid",
)

RELATIONS: dict[str, str] = {
    "issued_le_received": (
        "ballots issued (%(issued)s) are more than ballots received (%(received)s)"
    ),
    "received_balance": (
        "ballots received (%(received)s) are not issued + cancelled + spoiled + lost "
        "(%(accounted)s)"
    ),
    "in_boxes_le_issued": (
        "ballots in the boxes (%(in_boxes)s) are more than ballots issued (%(issued)s)"
    ),
    "valid_plus_invalid": (
        "valid + invalid ballots (%(counted)s) are not the ballots in the boxes (%(in_boxes)s)"
    ),
    "options_sum_valid": (
        "the votes for the options (%(votes)s) are not the valid ballots (%(valid)s)"
    ),
    "options_le_marks": (
        "the votes for the options (%(votes)s) are more than %(max_marks)s × the valid "
        "ballots (%(limit)s)"
    ),
    "option_le_valid": (
        "the votes for option %(option)s (%(votes)s) are more than the valid ballots (%(valid)s)"
    ),
    "issued_le_list": ("ballots issued (%(issued)s) are more than voters on the list (%(voters)s)"),
}

# Relation codes as the issue and the CLI's --json name them: "options_le_marks" and
# "option_le_valid" are the vote-for-up-to-k forms of options_sum_valid, counted under it.
RELATION_CODES: tuple[str, ...] = (
    "issued_le_received",
    "received_balance",
    "in_boxes_le_issued",
    "valid_plus_invalid",
    "options_sum_valid",
    "issued_le_list",
)

COUNT_MESSAGES: dict[str, str] = {
    "paper.not_object": "%(where)s: expected an object",
    "paper.missing": "%(where)s: the line %(field)s is missing",
    "paper.not_count": "%(where)s: %(field)s must be a whole number, 0 or more",
    "paper.unknown_field": "%(where)s: unknown line %(field)s",
}


class InvalidProtocolCounts(ProtocolError):
    """A protocol whose counts cannot be read: a code of `COUNT_MESSAGES` and parameters."""

    def __init__(self, code: str, **params: str | int) -> None:
        self.code = code
        self.params = params
        super().__init__(COUNT_MESSAGES[code] % params)


_OPTIONS_FORMS = ("options_le_marks", "option_le_valid")


@dataclass(frozen=True)
class RelationFailure:
    """One control relation the protocol breaks, with the numbers that break it."""

    code: str
    params: dict[str, int] = field(default_factory=dict)

    @property
    def relation(self) -> str:
        """The relation's code as counted (options_le_marks and option_le_valid count as
        options_sum_valid)."""
        return "options_sum_valid" if self.code in _OPTIONS_FORMS else self.code

    def message(self) -> str:
        return RELATIONS[self.code] % self.params


@dataclass(frozen=True)
class ProtocolCounts:
    """The count lines of one protocol and the votes per option (manifest order)."""

    voters_on_list: int = 0
    ballots_received: int = 0
    ballots_issued: int = 0
    ballots_cancelled: int = 0
    ballots_spoiled: int = 0
    ballots_lost: int = 0
    ballots_in_boxes: int = 0
    invalid: int = 0
    valid: int = 0
    options: tuple[int, ...] = ()

    def lines(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in FIELDS}


def check_relations(
    p: ProtocolCounts, *, min_marks: int = 1, max_marks: int = 1
) -> list[RelationFailure]:
    """Every control relation `p` breaks, in the order of `RELATION_CODES`.

    For a "vote for exactly one" contest (min = max = 1) the options sum to the valid ballots;
    otherwise (up to k marks, or a blank ballot allowed) they sum to at most k × valid, and
    no option has more votes than there are valid ballots (a ballot marks it at most once)."""
    out: list[RelationFailure] = []
    if p.ballots_issued > p.ballots_received:
        out.append(
            RelationFailure(
                "issued_le_received", {"issued": p.ballots_issued, "received": p.ballots_received}
            )
        )
    accounted = p.ballots_issued + p.ballots_cancelled + p.ballots_spoiled + p.ballots_lost
    if p.ballots_received != accounted:
        out.append(
            RelationFailure(
                "received_balance", {"received": p.ballots_received, "accounted": accounted}
            )
        )
    if p.ballots_in_boxes > p.ballots_issued:
        out.append(
            RelationFailure(
                "in_boxes_le_issued", {"in_boxes": p.ballots_in_boxes, "issued": p.ballots_issued}
            )
        )
    if p.valid + p.invalid != p.ballots_in_boxes:
        out.append(
            RelationFailure(
                "valid_plus_invalid",
                {"counted": p.valid + p.invalid, "in_boxes": p.ballots_in_boxes},
            )
        )
    votes = sum(p.options)
    if min_marks == max_marks == 1:
        if votes != p.valid:
            out.append(RelationFailure("options_sum_valid", {"votes": votes, "valid": p.valid}))
    else:
        if votes > max_marks * p.valid:
            out.append(
                RelationFailure(
                    "options_le_marks",
                    {"votes": votes, "max_marks": max_marks, "limit": max_marks * p.valid},
                )
            )
        out.extend(
            RelationFailure("option_le_valid", {"option": i, "votes": v, "valid": p.valid})
            for i, v in enumerate(p.options, start=1)
            if v > p.valid
        )
    if p.ballots_issued > p.voters_on_list:
        out.append(
            RelationFailure(
                "issued_le_list", {"issued": p.ballots_issued, "voters": p.voters_on_list}
            )
        )
    return out


def _count(value: Any, where: str, name: str) -> int:
    if type(value) is not int or value < 0:
        raise InvalidProtocolCounts("paper.not_count", where=where, field=name)
    return value


def counts_from_json(lines: Any, options: Any, option_ids: list[str], where: str) -> ProtocolCounts:
    """Read a protocol's `counts` object (every line of `FIELDS`, no other) and its `options`
    object (exactly the contest's option ids) into ProtocolCounts; raise InvalidProtocolCounts."""
    if not isinstance(lines, dict):
        raise InvalidProtocolCounts("paper.not_object", where=f"{where}.counts")
    if not isinstance(options, dict):
        raise InvalidProtocolCounts("paper.not_object", where=f"{where}.options")
    for name in FIELDS:
        if name not in lines:
            raise InvalidProtocolCounts("paper.missing", where=f"{where}.counts", field=name)
    for name in sorted(set(lines) - set(FIELDS)):
        raise InvalidProtocolCounts("paper.unknown_field", where=f"{where}.counts", field=name)
    for oid in option_ids:
        if oid not in options:
            raise InvalidProtocolCounts("paper.missing", where=f"{where}.options", field=oid)
    for oid in sorted(set(options) - set(option_ids)):
        raise InvalidProtocolCounts("paper.unknown_field", where=f"{where}.options", field=oid)
    values = {name: _count(lines[name], f"{where}.counts", name) for name in FIELDS}
    votes = tuple(_count(options[oid], f"{where}.options", oid) for oid in option_ids)
    return ProtocolCounts(**values, options=votes)


def counts_to_json(p: ProtocolCounts, option_ids: list[str]) -> dict[str, Any]:
    """The `counts` and `options` objects of a published protocol."""
    return {"counts": p.lines(), "options": dict(zip(option_ids, p.options, strict=True))}
