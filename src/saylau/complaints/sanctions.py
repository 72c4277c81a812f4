"""The sanctions in force for an election: the source the results and the record read.

`effective(election)` gives the election's configured rule for a deregistered candidate's
votes and the sanctions of its FINAL decisions, in the register's order (decision number,
then the sanction's order in the decision); a decision overturned on appeal imposes none.
"""

from __future__ import annotations

from saylau.complaints.models import CommitteeRules, Decision
from saylau.complaints.sanction_specs import published
from saylau.elections.models import Election
from saylau.protocol import sanctions as shape


def vote_rule(election: Election) -> str:
    rules = CommitteeRules.objects.filter(election=election).first()
    return rules.deregistered_votes if rules is not None else shape.SET_ASIDE


def effective(election: Election) -> tuple[str, tuple[shape.Sanction, ...]]:
    decisions = (
        Decision.objects.filter(complaint__election=election, final_at__isnull=False)
        .prefetch_related("sanctions")
        .order_by("number")
    )
    out: list[shape.Sanction] = []
    for decision in decisions:
        for i, item in enumerate(decision.sanctions.all(), start=1):
            if not item.withdrawn:
                out.append(published(item, decision, i))
    return vote_rule(election), tuple(out)
