from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from saylau.protocol.events import BoardRules, LeafSummary

FP = "ab" * 32


def leaf(
    i: int,
    kind: str,
    cred: str | None = None,
    code: str | None = None,
    replaces: str | None = None,
    t: int | None = None,
) -> LeafSummary:
    return LeafSummary(
        i, kind, i if t is None else t, cred, code, replaces, FP if kind == "open" else None
    )


def test_last_ballot_counts_and_paper_overrides() -> None:
    r = BoardRules(FP)
    for s in [
        leaf(0, "open"),
        leaf(1, "cast", "A", "a1"),
        leaf(2, "cast", "B", "b1"),
        leaf(3, "revote", "A", "a2", "a1"),
        leaf(4, "cast", "C", "c1"),
        leaf(5, "paper_override", "C"),
        leaf(6, "close"),
    ]:
        r.apply(s)
    r.finish(7)
    assert r.problems == []
    assert r.counted() == {"A": 3, "B": 2}
    assert r.superseded() == {1, 4}


def test_rule_breaks_are_reported_by_leaf() -> None:
    r = BoardRules(FP)
    for s in [
        leaf(0, "cast", "A", "a0"),
        leaf(1, "cast", "A", "a1"),
        leaf(2, "cast", "A", "a2"),
        leaf(3, "revote", "B", "b1", "zz"),
        leaf(4, "revote", "A", "a3", "a1"),
        leaf(5, "paper_override", "A"),
        leaf(6, "cast", "A", "a4"),
        leaf(7, "close"),
        leaf(8, "cast", "D", "d1", t=1),
    ]:
        r.apply(s)

    def has(i: int, text: str) -> bool:
        return any(j == i and text in m for j, m in r.problems)

    assert has(0, "first leaf")
    assert has(2, "second 'cast'")
    assert has(3, "no earlier ballot")
    assert has(4, "latest ballot")
    assert has(6, "after the paper override")
    assert has(8, "backwards")
    assert has(8, "after the close")


def test_never_closed() -> None:
    r = BoardRules(FP)
    r.apply(leaf(0, "open"))
    r.finish(1)
    assert r.problems == [(1, "the board was never closed")]


@given(st.lists(st.tuples(st.integers(0, 5), st.booleans()), max_size=60))
def test_revote_rule_matches_a_plain_model(actions: list[tuple[int, bool]]) -> None:
    """Random sequences of ballots (voter, is_paper): the counted set is the last online
    ballot of each voter without a paper vote."""
    r = BoardRules(FP)
    r.apply(leaf(0, "open"))
    latest: dict[str, tuple[int, str]] = {}
    paper: set[str] = set()
    i = 1
    for voter, is_paper in actions:
        cred = f"v{voter}"
        if cred in paper:
            continue
        if is_paper:
            r.apply(leaf(i, "paper_override", cred))
            paper.add(cred)
        else:
            code = f"{cred}-{i}"
            prev = latest.get(cred)
            r.apply(leaf(i, "revote" if prev else "cast", cred, code, prev[1] if prev else None))
            latest[cred] = (i, code)
        i += 1
    r.apply(leaf(i, "close"))
    r.finish(i + 1)
    assert r.problems == []
    assert r.counted() == {c: v[0] for c, v in latest.items() if c not in paper}


def test_ballot_leaf_bytes_equal_canonical_json() -> None:
    from saylau.protocol.canonical import canonical_json
    from saylau.protocol.events import ballot_leaf_bytes, cast_event, revote_event

    ballot = {"election": "ab", "contests": [{"id": "x"}], "name": 'Сайлау "q"'}
    blob = canonical_json(ballot)
    assert ballot_leaf_bytes(blob, 17) == canonical_json(cast_event(ballot, 17))
    assert ballot_leaf_bytes(blob, 18, "cd" * 32) == canonical_json(
        revote_event(ballot, "cd" * 32, 18)
    )
