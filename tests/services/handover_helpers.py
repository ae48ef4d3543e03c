"""A desk prepared for handover tests: one of each thing the handover reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from desk.core.errors import SignInFailed
from desk.core.handover import CoverageReason
from desk.core.items import Platform
from desk.core.roles import Role
from desk.store.tables import Case, Escalation, EscalationTarget, ModerationAction
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.services.helpers import item

SHIFT_START = datetime(2026, 11, 26, 7, 0, tzinfo=UTC)  # 07:00-15:00 GMT
SHIFT_END = datetime(2026, 11, 26, 15, 0, tzinfo=UTC)


@dataclass
class Prepared:
    staffed: Staffed
    sue: Person
    sue_token: str
    jo_token: str
    self_harm_case: int
    road_case: int


def _case_of(staffed: Staffed, text_start: str) -> int:
    with staffed.desk.ctx.db.read() as s:
        for case in s.query(Case).all():
            if case.summary.startswith(text_start):
                return case.id
    raise AssertionError(text_start)


def prepare(staffed: Staffed) -> Prepared:
    """A desk during the 07:00-15:00 shift with one of each thing the handover reports."""
    d, admin, clock = staffed.desk, staffed.admin_token, staffed.clock
    sue_enrol = d.accounts.add_user(admin, "sgreen", "Sue Green", Role.SUPERVISOR, USER_PASSWORD)
    sue = Person("sgreen", USER_PASSWORD, sue_enrol.seed, Role.SUPERVISOR)
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    clock.advance(minutes=30)
    burst = [
        item(f"b{n}", f"Sirens on the high street? {n}", author=f"b{n}", minutes=20 + n / 2)
        for n in range(12)
    ]
    d.importer.store(
        admin,
        [
            item("1", "What time does the road reopen?", author="u1", minutes=1),
            item("2", "I can't go on, I'm going to end it all tonight", author="u2", minutes=2),
            *burst,
        ],
        "test",
    )
    self_harm = _case_of(staffed, "I can't go on")
    road = _case_of(staffed, "What time")
    jo = staffed.sign_in(staffed.operator)
    # a missed target: the P1 case is still untouched two hours later
    clock.advance(hours=2)
    # an escalation still awaiting acknowledgement (its service is another part's work)
    with d.ctx.db.write() as s:
        target = EscalationTarget(kind="command", name="Force control room", area="Test")
        s.add(target)
        s.flush()
        case = s.get(Case, self_harm)
        assert case is not None
        s.add(
            Escalation(
                case_id=self_harm,
                target_id=target.id,
                kind="command",
                urgency="immediate",
                summary="Threat to life",
                body="...",
                created_at=clock.now(),
                created_by="jsmith",
                deadline_at=clock.now() + timedelta(minutes=15),
            )
        )
        s.add(
            ModerationAction(
                case_id=road,
                author_id=case.author_id,
                action="hide",
                guideline_code="G1",
                explanation="abuse",
                at=clock.now(),
                actor="jsmith",
            )
        )
    d.handover.flag_notable(jo, road, "Missing person appeal: replies need watching")
    d.coverage.record(
        staffed.sign_in(sue),
        SHIFT_START + timedelta(hours=1),
        SHIFT_START + timedelta(hours=1, minutes=30),
        CoverageReason.PLATFORM_OUTAGE,
        "x",
        "X replies unread for 30 minutes; control room told",
    )
    # a lock-out: ten wrong passwords for Jo
    for _ in range(10):
        clock.advance(minutes=6)
        with pytest.raises(SignInFailed):
            d.signin.sign_in("jsmith", "not the password", "000000")
    clock.advance(minutes=30)  # 12:00 or so: still the same shift
    d.accounts.unlock(admin, "jsmith")
    jo = staffed.sign_in(staffed.operator)
    d.handover.add_note(jo, clock.now(), "Quiet morning; watch the road closure thread.")
    return Prepared(staffed, sue, staffed.sign_in(sue), jo, self_harm, road)
