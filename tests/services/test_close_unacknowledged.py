"""Closing a case whose escalations still await acknowledgement asks the closer to know."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from desk.core.cases import Outcome
from desk.core.errors import UnacknowledgedEscalations
from desk.core.escalation import TargetKind, Urgency
from desk.core.items import Platform
from desk.store.tables import AuditEntry, Case
from tests.conftest import Staffed
from tests.services.helpers import item


@pytest.fixture
def escalated(staffed: Staffed) -> tuple[Staffed, str, int, list[int]]:
    """A claimed case with two escalations: one acknowledged, one still waiting."""
    d, admin = staffed.desk, staffed.admin_token
    staffed.clock.advance(minutes=10)
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.importer.store(admin, [item("1", "What time does the road reopen?", minutes=2)], "test")
    with d.ctx.db.read() as s:
        case_id = s.scalars(select(Case.id)).one()
    token = staffed.sign_in(staffed.operator)
    d.cases.claim(token, case_id)
    acked = d.escalations.escalate(token, case_id, TargetKind.COMMAND, Urgency.HOUR, "road")
    waiting = d.escalations.escalate(token, case_id, TargetKind.INTELLIGENCE, Urgency.TODAY, "x")
    d.escalations.acknowledge(token, acked.id, "Insp 1234 Jones")
    return staffed, token, case_id, [acked.id, waiting.id]


def test_a_waiting_escalation_refuses_the_close_and_names_it(
    escalated: tuple[Staffed, str, int, list[int]],
) -> None:
    staffed, token, case_id, (_acked, waiting) = escalated
    d = staffed.desk
    with pytest.raises(UnacknowledgedEscalations) as refused:
        d.cases.close(token, case_id, Outcome.NO_ACTION)
    assert refused.value.escalations == (waiting,)
    assert refused.value.message.startswith(
        f"Case #{case_id} has 1 escalation still awaiting acknowledgement: #{waiting} to "
    )
    assert refused.value.message.endswith(
        "Close it once it is acknowledged, or confirm that you are closing it despite it."
    )
    assert d.queue.detail(token, case_id).row.status != "closed"


def test_closing_despite_it_is_recorded_on_the_timeline_and_in_the_audit(
    escalated: tuple[Staffed, str, int, list[int]],
) -> None:
    staffed, token, case_id, (_acked, waiting) = escalated
    d = staffed.desk
    d.cases.close(token, case_id, Outcome.NO_ACTION, despite_unacknowledged=True)
    detail = d.queue.detail(token, case_id)
    assert detail.row.status == "closed"
    assert detail.timeline[-1].text == (
        f"closed despite 1 unacknowledged escalation (#{waiting}); the closer was told they "
        "still await acknowledgement"
    )
    with d.ctx.db.read() as s:
        entry = s.scalars(
            select(AuditEntry).where(AuditEntry.action == "case.close_despite_unacknowledged")
        ).one()
        assert json.loads(entry.details)["despite_unacknowledged"] == [waiting]


def test_nothing_waiting_closes_without_a_question(
    escalated: tuple[Staffed, str, int, list[int]],
) -> None:
    staffed, token, case_id, (_acked, waiting) = escalated
    d = staffed.desk
    d.escalations.acknowledge(token, waiting, "DS 99 Evans")
    d.cases.close(token, case_id, Outcome.NO_ACTION)
    detail = d.queue.detail(token, case_id)
    assert detail.row.status == "closed"
    assert "closed despite" not in detail.timeline[-1].text


def test_a_group_close_is_refused_whole_until_the_closer_says_they_know(
    escalated: tuple[Staffed, str, int, list[int]],
) -> None:
    staffed, token, case_id, (_acked, waiting) = escalated
    d, admin = staffed.desk, staffed.admin_token
    d.importer.store(admin, [item("2", "Is the road open yet?", author="u9", minutes=1)], "more")
    with d.ctx.db.read() as s:
        other = s.scalars(select(Case.id).where(Case.id != case_id)).one()
    with pytest.raises(UnacknowledgedEscalations) as refused:
        d.surges.close_group(token, [other, case_id], Outcome.NO_ACTION, "duplicates")
    assert refused.value.escalations == (waiting,)
    # all or none: the other case was neither claimed nor closed
    assert d.queue.detail(token, other).row.status == "new"
    assert d.queue.detail(token, case_id).row.status != "closed"
    closed = d.surges.close_group(
        token, [other, case_id], Outcome.NO_ACTION, "duplicates", despite_unacknowledged=True
    )
    assert closed == 2
    lines = [e.text for e in d.queue.detail(token, case_id).timeline]
    assert any(line.startswith("closed despite 1 unacknowledged escalation") for line in lines)
