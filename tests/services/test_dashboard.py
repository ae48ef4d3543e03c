"""The desk at a glance: each chart's numbers on a desk with known items, cases, escalations."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from desk.core.cases import Outcome
from desk.core.dashboard import (
    PeriodKind,
    bucket_hours,
    median_from_histogram,
    period_for,
    to_json,
)
from desk.core.errors import InvalidInput, PermissionDenied
from desk.core.items import Platform
from desk.core.roles import Role
from desk.store.tables import Case, CoveragePeriod, Escalation, EscalationTarget
from tests.conftest import START, USER_PASSWORD, Person, Staffed
from tests.services.helpers import item


def _supervisor(staffed: Staffed) -> tuple[Person, str]:
    enrol = staffed.desk.accounts.add_user(
        staffed.admin_token, "sup", "Sam Sup", Role.SUPERVISOR, USER_PASSWORD
    )
    person = Person("sup", USER_PASSWORD, enrol.seed, Role.SUPERVISOR)
    return person, staffed.sign_in(person)


@pytest.fixture
def busy(staffed: Staffed) -> Staffed:
    """09:00-10:00: three items on X, one on Facebook; one P1 self-harm, two P4 questions."""
    d, token = staffed.desk, staffed.admin_token
    d.official_accounts.add(token, Platform.X, "@ExampleshirePolice")
    d.official_accounts.add(token, Platform.FACEBOOK, "Exampleshire Police")
    items = [
        item("x1", "I want to end it all tonight", author="a1", thread=None, minutes=5),
        item("x2", "what time does the station open", author="a2", thread=None, minutes=10),
        item("x3", "are the roads closed on saturday", author="a3", thread=None, minutes=20),
        item(
            "f1",
            "lost dog near the park",
            author="a4",
            thread=None,
            minutes=70,
            platform=Platform.FACEBOOK,
            account="Exampleshire Police",
        ),
    ]
    d.importer.store(token, items, "test")
    return staffed


def _case_for(staffed: Staffed, pid_text: str) -> int:
    with staffed.desk.ctx.db.read() as s:
        return int(s.scalar(select(Case.id).where(Case.summary.contains(pid_text))) or 0)


def test_periods_and_buckets() -> None:
    now = datetime(2026, 11, 26, 15, 30, tzinfo=UTC)
    today = period_for("today", now)
    assert today.start == datetime(2026, 11, 26, tzinfo=UTC)
    assert bucket_hours(today) == 1
    week = period_for(PeriodKind.LAST_7D, now)
    assert week.length == timedelta(days=7) and bucket_hours(week) == 6
    assert bucket_hours(period_for("30d", now)) == 24
    with pytest.raises(InvalidInput, match="Unknown period"):
        period_for("fortnight", now)
    with pytest.raises(InvalidInput, match="end must come after"):
        period_for("custom", now, now, now - timedelta(hours=1))
    assert median_from_histogram({3: 1, 5: 2}) == 5
    assert median_from_histogram({1: 1, 4: 1}) == 2.5
    assert median_from_histogram({}) is None


def test_arrivals_per_hour_by_platform(busy: Staffed) -> None:
    _, token = _supervisor(busy)
    data = busy.desk.dashboard.figures(
        token, "custom", START - timedelta(hours=1), START + timedelta(hours=3)
    )
    assert data.bucket_hours == 1
    nine = data.buckets.index(START)
    ten = data.buckets.index(START + timedelta(hours=1))
    assert data.arrivals["x"][nine] == 3
    assert data.arrivals["facebook"][ten] == 1
    assert data.arrivals["facebook"][nine] == 0
    assert data.total_arrivals == 4
    assert data.risks == {"self_harm": 1}


def test_time_to_first_action_and_targets_met(busy: Staffed) -> None:
    d = busy.desk
    sup, _ = _supervisor(busy)
    op_token = busy.sign_in(busy.operator)
    urgent = _case_for(busy, "end it all")
    question = _case_for(busy, "station open")
    roads = _case_for(busy, "roads closed")
    # the P1 (opened 09:05, 15 min target) gets its first action at 09:35: missed
    busy.clock.set(START + timedelta(minutes=35))
    d.cases.claim(op_token, urgent)
    with d.ctx.db.write() as s:  # its first action was an escalation (another service's job)
        s.get_one(Case, urgent).first_action_at = busy.clock.now()
    # one P4 question is answered at 09:40 (30 min after it arrived): met
    busy.clock.set(START + timedelta(minutes=40))
    d.cases.claim(op_token, question)
    d.cases.close(op_token, question, Outcome.NO_ACTION, "answered")
    # the other P4 is still waiting; 25 h later it is past its 24 h target
    busy.clock.set(START + timedelta(hours=25))
    token = busy.sign_in(sup)
    data = d.dashboard.figures(token, "custom", START, START + timedelta(hours=2))
    by_priority = {r.priority: r for r in data.response}
    p1, p4 = by_priority[1], by_priority[4]
    assert (p1.acted, p1.met, p1.median_minutes, p1.target_minutes) == (1, 0, 30, 15)
    assert p4.acted == 1 and p4.met == 1 and p4.median_minutes == 30
    # still waiting: the roads question (past its 24 h) and Facebook's (not yet past it)
    assert p4.waiting == 2 and p4.waiting_past_target == 1
    assert data.targets_met == 1 and data.targets_decided == 3
    assert data.met_share == pytest.approx(1 / 3)
    assert roads  # the roads case exists and is still waiting
    assert to_json(data)["totals"]["met_share"] == pytest.approx(1 / 3)


def test_escalations_by_target_with_ack_time_and_coverage(busy: Staffed) -> None:
    d = busy.desk
    urgent = _case_for(busy, "end it all")
    with d.ctx.db.write() as s:
        target = s.scalar(select(EscalationTarget).where(EscalationTarget.kind == "command"))
        if target is None:
            target = EscalationTarget(kind="command", name="Duty inspector")
            s.add(target)
            s.flush()
        for minutes_to_ack, deadline in ((4, 15), (10, 15), (None, 15)):
            created = START + timedelta(minutes=10)
            s.add(
                Escalation(
                    case_id=urgent,
                    target_id=target.id,
                    kind="command",
                    urgency="immediate",
                    summary="intent to end life",
                    body="...",
                    created_at=created,
                    created_by="jsmith",
                    deadline_at=created + timedelta(minutes=deadline),
                    acknowledged_at=(
                        created + timedelta(minutes=minutes_to_ack) if minutes_to_ack else None
                    ),
                )
            )
        s.add(
            CoveragePeriod(
                starts_at=START + timedelta(hours=1),
                ends_at=START + timedelta(hours=2),
                reason="platform_outage",
                platform="x",
                risk_accepted="X down; Facebook still watched",
                recorded_at=START,
                recorded_by="sup",
            )
        )
    busy.clock.set(START + timedelta(hours=3))
    _, token = _supervisor(busy)
    data = d.dashboard.figures(token, "today")
    command = next(e for e in data.escalations if e.kind == "command")
    assert (command.escalated, command.acknowledged) == (3, 2)
    assert command.median_ack_minutes == 7
    assert command.late == 1  # the unacknowledged one, past its deadline
    assert [g.reason for g in data.coverage] == ["platform_outage"]


def test_operator_cannot_view_dashboard(busy: Staffed) -> None:
    token = busy.sign_in(busy.operator)
    with pytest.raises(PermissionDenied):
        busy.desk.dashboard.figures(token, "today")
