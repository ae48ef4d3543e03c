"""A case's status and owner at a moment, replayed from its timeline (issue 11, item 19)."""

from __future__ import annotations

from desk.core.case_history import TimelineLine, replay
from desk.core.cases import CaseStatus


def line(kind: str, actor: str = "jsmith", **details: object) -> TimelineLine:
    return TimelineLine(kind, actor, details)


def test_a_case_with_no_moves_is_new_and_unowned() -> None:
    state = replay([line("note"), line("assess")])
    assert (state.status, state.owner, state.open) == (CaseStatus.NEW, None, True)


def test_the_moves_replay_as_the_state_machine_allows() -> None:
    assert replay([line("claim")]).status is CaseStatus.TRIAGE
    assert replay([line("claim"), line("reply")]).status is CaseStatus.ACTIONED
    assert replay([line("claim"), line("escalate"), line("reply")]).status is (CaseStatus.ESCALATED)
    assert replay([line("claim"), line("release")]) == replay([])
    moved = replay([line("reassign", "sgreen", owner="kim", previous="unowned")])
    assert (moved.status, moved.owner) == (CaseStatus.TRIAGE, "kim")
    closed = replay([line("claim"), line("close")])
    assert closed.status is CaseStatus.CLOSED and not closed.open
    again = replay([line("claim"), line("close"), line("reopen", "sgreen")])
    assert (again.status, again.owner) == (CaseStatus.TRIAGE, "sgreen")
