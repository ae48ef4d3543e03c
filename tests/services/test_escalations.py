"""Escalating cases: targets, escalation, acknowledgement, overdue flags, referral, permissions."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from desk.core.errors import Conflict, InvalidInput, PermissionDenied
from desk.core.escalation import ENGAGEMENT_NOTE, TargetKind, Urgency
from desk.core.items import Platform
from desk.core.roles import Role
from desk.services.escalations import default_targets
from desk.store.tables import AuditEntry, Case
from tests.conftest import Person, Staffed
from tests.services.helpers import item

SELF_HARM = "I can't go on, I'm going to end it all tonight"
KNIFE = "There's a man with a knife outside the Co-op on Station Road RIGHT NOW"


@pytest.fixture
def cases(staffed: Staffed) -> tuple[Staffed, str, int, int]:
    """Two cases (self-harm, knife); the operator is signed in and has claimed the first."""
    d, admin = staffed.desk, staffed.admin_token
    staffed.clock.advance(minutes=10)
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.importer.store(
        admin,
        [
            item("1", SELF_HARM, author="u1", handle="@cat", minutes=2),
            item("2", KNIFE, author="u2", handle="@ffion_w", thread=None, minutes=3),
        ],
        "test",
    )
    with d.ctx.db.read() as s:
        ids = {c.summary: c.id for c in s.scalars(select(Case))}
    token = staffed.sign_in(staffed.operator)
    d.cases.claim(token, ids[SELF_HARM])
    return staffed, token, ids[SELF_HARM], ids[KNIFE]


def audit(staffed: Staffed, prefix: str) -> list[AuditEntry]:
    with staffed.desk.ctx.db.read() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action.startswith(prefix))))


def test_a_new_profile_gets_the_default_targets_once(staffed: Staffed) -> None:
    d = staffed.desk
    targets = d.escalations.targets(staffed.admin_token)
    assert len(targets) == len(default_targets())
    assert {t.kind for t in targets} == set(TargetKind)
    assert [t.area for t in targets if t.kind is TargetKind.NEIGHBOURHOOD] == [
        "Central",
        "North",
        "South",
    ]
    assert all("example" in t.email for t in targets)
    (entry,) = audit(staffed, "escalation_target.defaults")
    assert entry.actor == "admin"
    with d.ctx.db.write() as s:
        assert d.escalations.install_defaults(s, "admin") == 0  # idempotent
    assert len(audit(staffed, "escalation_target.defaults")) == 1


def test_escalating_moves_the_case_records_timeline_and_audit_together(
    cases: tuple[Staffed, str, int, int],
) -> None:
    staffed, token, case_id, _ = cases
    d = staffed.desk
    staffed.clock.advance(minutes=1)
    view = d.escalations.escalate(
        token, case_id, TargetKind.COMMAND, Urgency.IMMEDIATE, "Intent to end life tonight"
    )
    now = staffed.clock.now()
    assert view.deadline_at == now + timedelta(minutes=15)
    assert not view.overdue and view.acknowledged_at is None
    assert "Duty inspector" in view.target_name
    assert "Item text:\n  I can't go on" in view.body
    detail = d.queue.detail(token, case_id)
    assert detail.row.status == "escalated"
    assert detail.timeline[-1].kind == "escalate"
    assert detail.timeline[-1].text.startswith("escalated to Duty inspector")
    with d.ctx.db.read() as s:
        case = s.get(Case, case_id)
        assert case is not None and case.first_escalated_at == now
    (entry,) = audit(staffed, "case.escalate")
    assert json.loads(entry.details)["escalation"] == view.id
    # a second escalation keeps the first time
    staffed.clock.advance(minutes=2)
    d.escalations.escalate(
        token, case_id, TargetKind.NEIGHBOURHOOD, Urgency.TODAY, "", area="north"
    )
    state = d.escalations.case_state(token, case_id)
    assert state.first_escalated_at == now
    assert state.time_to_escalation == now - state.opened_at
    assert [e.kind for e in state.escalations] == [TargetKind.COMMAND, TargetKind.NEIGHBOURHOOD]
    assert state.escalations[1].target_name == "Neighbourhood team: North"


def test_a_refused_escalation_changes_nothing(cases: tuple[Staffed, str, int, int]) -> None:
    staffed, token, case_id, knife_id = cases
    d = staffed.desk
    with pytest.raises(Conflict, match=f"Claim case #{knife_id} before escalating it"):
        d.escalations.escalate(token, knife_id, TargetKind.COMMAND, Urgency.HOUR, "x")
    with pytest.raises(InvalidInput, match="Choose the area for the neighbourhood target"):
        d.escalations.escalate(token, case_id, TargetKind.NEIGHBOURHOOD, Urgency.HOUR, "x")
    assert d.escalations.for_case(token, case_id) == []
    assert d.queue.detail(token, case_id).row.status == "triage"
    assert audit(staffed, "case.escalate") == []


def test_acknowledgement_and_overdue_flags(cases: tuple[Staffed, str, int, int]) -> None:
    staffed, token, case_id, _ = cases
    d = staffed.desk
    first = d.escalations.escalate(token, case_id, TargetKind.COMMAND, Urgency.IMMEDIATE, "a")
    d.escalations.escalate(token, case_id, TargetKind.INTELLIGENCE, Urgency.HOUR, "b")
    assert d.escalations.waiting_counts(token) == (2, 0)
    staffed.clock.advance(minutes=16)
    waiting = d.escalations.waiting(token)
    assert [(w.id, w.overdue) for w in waiting] == [(first.id, True), (first.id + 1, False)]
    assert d.escalations.waiting_counts(token) == (2, 1)

    acked = d.escalations.acknowledge(token, first.id, "Insp 1234 Jones", "deploying")
    assert acked.acknowledged_by == "Insp 1234 Jones"
    assert acked.ack_recorded_by == "jsmith"
    assert not acked.overdue
    assert d.escalations.waiting_counts(token) == (1, 0)
    timeline = d.queue.detail(token, case_id).timeline
    assert timeline[-1].text == (
        f"escalation #{first.id} acknowledged by Insp 1234 Jones (after its deadline): deploying"
    )
    with pytest.raises(Conflict, match="already acknowledged by Insp 1234 Jones"):
        d.escalations.acknowledge(token, first.id, "someone else")
    with pytest.raises(InvalidInput, match="Say who acknowledged"):
        d.escalations.acknowledge(token, first.id + 1, "   ")
    assert len(audit(staffed, "escalation.acknowledge")) == 1


def test_operators_escalate_but_only_administrators_edit_targets(
    cases: tuple[Staffed, str, int, int],
) -> None:
    staffed, token, _case_id, _ = cases
    d = staffed.desk
    with pytest.raises(PermissionDenied):
        d.escalations.add_target(token, TargetKind.COMMAND, "Someone", area="East")
    target = d.escalations.add_target(
        staffed.admin_token,
        TargetKind.NEIGHBOURHOOD,
        "Neighbourhood team: East",
        area="East",
        email="east@example.police.uk",
    )
    changed = d.escalations.set_target(staffed.admin_token, target.id, phone="01234 999")
    assert changed.phone == "01234 999" and changed.email == "east@example.police.uk"
    with pytest.raises(Conflict, match="already a neighbourhood target for area 'East'"):
        d.escalations.add_target(staffed.admin_token, TargetKind.NEIGHBOURHOOD, "x", area="East")
    with pytest.raises(InvalidInput, match="is not an email address"):
        d.escalations.set_target(staffed.admin_token, target.id, email="nobody")
    d.escalations.set_active(staffed.admin_token, target.id, False)
    assert target.id not in [t.id for t in d.escalations.targets(token)]
    assert len(audit(staffed, "escalation_target.")) == 4  # defaults, add, change, disable


def test_supervisors_may_escalate_a_case_someone_else_owns(
    cases: tuple[Staffed, str, int, int],
) -> None:
    staffed, _token, case_id, _ = cases
    d = staffed.desk
    made = d.accounts.add_user(
        staffed.admin_token, "sup", "Sam Sup", Role.SUPERVISOR, "a long pass phrase 2026"
    )
    sup = staffed.sign_in(Person("sup", "a long pass phrase 2026", made.seed, Role.SUPERVISOR))
    view = d.escalations.escalate(sup, case_id, TargetKind.SAFEGUARDING, Urgency.HOUR, "child")
    assert view.created_by == "sup"


def test_referral_to_investigations_marks_the_case_and_says_desk_is_for_engagement(
    cases: tuple[Staffed, str, int, int],
) -> None:
    staffed, token, case_id, _ = cases
    d = staffed.desk
    with pytest.raises(InvalidInput, match="refer to investigations"):
        d.escalations.escalate(token, case_id, TargetKind.INVESTIGATIONS, Urgency.HOUR, "x")
    view = d.escalations.refer_to_investigations(token, case_id, "Possible fraud to investigate")
    assert view.kind is TargetKind.INVESTIGATIONS
    assert ENGAGEMENT_NOTE in view.body
    state = d.escalations.case_state(token, case_id)
    assert state.referred_at == staffed.clock.now()
    assert state.status == "escalated"
    assert d.queue.detail(token, case_id).timeline[-1].text == ENGAGEMENT_NOTE
    with pytest.raises(Conflict, match="already referred"):
        d.escalations.refer_to_investigations(token, case_id, "again")


def test_immediate_risk_is_flagged_for_the_knife_case(cases: tuple[Staffed, str, int, int]) -> None:
    staffed, token, case_id, knife_id = cases
    d = staffed.desk
    assert d.escalations.case_state(token, knife_id).immediate
    assert not d.escalations.case_state(token, case_id).immediate  # self-harm, not graded


def test_the_deadline_setting_changes_new_escalations(
    cases: tuple[Staffed, str, int, int],
) -> None:
    staffed, token, case_id, _ = cases
    d = staffed.desk
    d.settings.set(staffed.admin_token, "escalation_deadlines", "immediate=5m; hour=30m; today=4h")
    view = d.escalations.escalate(token, case_id, TargetKind.COMMAND, Urgency.IMMEDIATE, "x")
    assert view.deadline_at == staffed.clock.now() + timedelta(minutes=5)
    with pytest.raises(InvalidInput, match="missing today"):
        d.settings.set(staffed.admin_token, "escalation_deadlines", "immediate=5m; hour=30m")
