"""Which statuses are open, which still count against a target, and when THRIVE is needed:
each rule said once, in the core, and asked everywhere else."""

from __future__ import annotations

import ast
from datetime import UTC, datetime
from pathlib import Path

import pytest

from desk.core.cases import OPEN_STATUS_CODES, OPEN_STATUSES, CaseStatus, is_open, next_status
from desk.core.targets import COUNTING_STATUS_CODES, counts_against_target
from desk.core.thrive import needs_thrive
from desk.services.case_views import CaseDetail, QueueRow

DESK = Path(__file__).resolve().parents[2] / "desk"


def test_open_means_every_status_but_closed() -> None:
    assert OPEN_STATUS_CODES == ("new", "triage", "actioned", "escalated")
    assert {CaseStatus(c) for c in OPEN_STATUS_CODES} == OPEN_STATUSES
    assert all(is_open(s) for s in OPEN_STATUSES) and not is_open(CaseStatus.CLOSED)
    assert is_open("triage") and not is_open("closed")


def test_a_target_counts_until_the_case_is_actioned() -> None:
    assert COUNTING_STATUS_CODES == ("new", "triage")
    assert counts_against_target("new") and counts_against_target(CaseStatus.TRIAGE)
    for status in (CaseStatus.ACTIONED, CaseStatus.ESCALATED, CaseStatus.CLOSED):
        assert not counts_against_target(status)


@pytest.mark.parametrize(
    ("risk", "grade", "reassess", "needed"),
    [
        ((), None, False, False),  # no rule matched: not required (though welcome)
        (("self_harm",), None, False, True),
        (("self_harm",), "immediate", False, False),
        (("self_harm",), "immediate", True, True),  # a new item after the grade
        ((), "priority", True, True),
        (("", ""), None, False, False),  # ",," as stored for no risk
    ],
)
def test_thrive_is_needed_for_a_risky_ungraded_case_or_one_to_reassess(
    risk: tuple[str, ...], grade: str | None, reassess: bool, needed: bool
) -> None:
    assert needs_thrive(risk, grade, reassess) is needed
    at = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)
    row = QueueRow(
        case_id=1, priority=1, status="triage", opened_at=at, due_at=at, platform="x",
        account="@a", author="@b", summary="s", risk=tuple(r for r in risk if r), owner=None,
        item_count=1, language=None, kind="reply", needs_assessment=reassess, grade=grade,
    )  # fmt: skip
    assert row.needs_thrive is needed  # what the queue and the case pane read
    detail = CaseDetail(row, (), (), 0, (), (), ())
    assert detail.needs_thrive is needed


def test_claiming_follows_the_state_machine() -> None:
    assert next_status("claim", CaseStatus.NEW) is CaseStatus.TRIAGE


def _status_lists(path: Path) -> list[int]:
    """Lines holding a list, tuple or set of two or more status codes (a rule restated)."""
    tree = ast.parse(path.read_text("utf-8"))
    codes = {s.value for s in CaseStatus}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            named = [e.value for e in node.elts if isinstance(e, ast.Constant) and e.value in codes]
            if len(named) >= 2 and "triage" in named:  # open, or counting against a target
                found.append(node.lineno)
    return found


@pytest.mark.parametrize("layer", ["services", "store", "cli", "gui"])
def test_no_layer_restates_the_status_codes(layer: str) -> None:
    found = {
        str(path.relative_to(DESK)): lines
        for path in sorted((DESK / layer).rglob("*.py"))
        if "migrations" not in path.parts and (lines := _status_lists(path))
    }
    assert found == {}, "ask desk.core.cases / desk.core.targets instead"
