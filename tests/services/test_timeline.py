"""A case's timeline line and its audit entry are written one way, together, text unescaped."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import select

from desk.core.escalation import TargetKind, Urgency
from desk.core.items import Platform
from desk.core.moderation import ModerationKind
from desk.store.tables import AuditEntry, Case, CaseEvent
from tests.conftest import Staffed
from tests.services.helpers import item

WELSH = "Bygythiad i'r heddlu: ŵyr a ŷd — “dyfynnu”"
SELF_HARM = "I can't go on, I'm going to end it all tonight"


@pytest.fixture
def worked(staffed: Staffed) -> tuple[Staffed, str, int]:
    """A case the operator has claimed; the operator's session."""
    d, admin = staffed.desk, staffed.admin_token
    staffed.clock.advance(minutes=10)
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.importer.store(admin, [item("1", SELF_HARM, author="u1", handle="@cat")], "test")
    with d.ctx.db.read() as s:
        case_id = s.scalars(select(Case.id)).one()
    token = staffed.sign_in(staffed.operator)
    d.cases.claim(token, case_id)
    return staffed, token, case_id


def events(staffed: Staffed, case_id: int, kind: str) -> list[CaseEvent]:
    with staffed.desk.ctx.db.read() as s:
        return list(
            s.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.kind == kind))
        )


def audits(staffed: Staffed, action: str) -> list[AuditEntry]:
    with staffed.desk.ctx.db.read() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_welsh_in_a_notable_flag_is_stored_as_written(worked: tuple[Staffed, str, int]) -> None:
    staffed, token, case_id = worked
    staffed.desk.handover.flag_notable(token, case_id, WELSH)
    (line,) = events(staffed, case_id, "notable")
    assert "ŵyr a ŷd" in line.details and "\\u" not in line.details
    assert json.loads(line.details) == {"reason": WELSH}
    assert len(audits(staffed, "case.notable")) == 1


def test_welsh_in_a_moderation_explanation_is_stored_as_written(
    worked: tuple[Staffed, str, int],
) -> None:
    staffed, token, case_id = worked
    explanation = "Cuddiwyd: nid yw camdriniaeth yn cael ei chroesawu yma — ŵyr"
    staffed.desk.moderation.act(token, case_id, ModerationKind.HIDE, "CG-1", explanation)
    (line,) = events(staffed, case_id, "moderate")
    assert "— ŵyr" in line.details and "\\u" not in line.details
    (entry,) = audits(staffed, "case.moderate")
    # the audit proves the words without keeping them (they can be erased from the case)
    digest = hashlib.sha256(explanation.encode("utf-8")).hexdigest()
    assert json.loads(entry.details)["explanation"] == {"sha256": digest, "chars": 60}
    assert "ŵyr" not in entry.details
    assert "id" in json.loads(entry.details)  # the moderation action's own number


def test_every_escalation_line_has_its_audit_entry(worked: tuple[Staffed, str, int]) -> None:
    staffed, token, case_id = worked
    d = staffed.desk
    d.escalations.escalate(token, case_id, TargetKind.COMMAND, Urgency.IMMEDIATE, WELSH)
    d.escalations.refer_to_investigations(token, case_id, "Threat to staff")
    first, _referral = events(staffed, case_id, "escalate")
    assert WELSH in first.text
    (refer,) = events(staffed, case_id, "refer")  # the line once written without an audit entry
    (entry,) = audits(staffed, "case.refer")
    assert entry.object == f"case:{case_id}"
    assert json.loads(entry.details) == json.loads(refer.details)
    escalated = audits(staffed, "case.escalate")
    assert len(escalated) == 2 and {"deadline", "urgency"} <= set(json.loads(escalated[0].details))
    assert d.audit.verify(staffed.admin_token).intact


def test_an_acknowledgement_is_audited_on_the_escalation(worked: tuple[Staffed, str, int]) -> None:
    staffed, token, case_id = worked
    d = staffed.desk
    view = d.escalations.escalate(token, case_id, TargetKind.COMMAND, Urgency.IMMEDIATE, "help")
    staffed.clock.advance(minutes=3)
    d.escalations.acknowledge(token, view.id, "Insp. Ffion Hughes 1234")
    (line,) = events(staffed, case_id, "escalation_ack")
    assert "Ffion Hughes" in line.text
    (entry,) = audits(staffed, "escalation.acknowledge")
    assert entry.object == f"escalation:{view.id}"
    assert json.loads(entry.details)["case"] == case_id
    assert d.audit.verify(staffed.admin_token).intact
