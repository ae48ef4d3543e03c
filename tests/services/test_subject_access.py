"""The subject access request register: due dates, extensions, pauses, restrictions, closing."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from desk.core.errors import Conflict, InvalidInput, PermissionDenied
from desk.core.roles import Role
from desk.core.subject_access import (
    DueState,
    Ground,
    Outcome,
    Regime,
    add_months,
    apply_redactions,
    due_date,
    parse_redaction,
    third_party_passages,
)
from desk.store.tables import AuditEntry
from tests.conftest import USER_PASSWORD, Person, Staffed


@pytest.fixture
def supervisor(staffed: Staffed) -> Person:
    """Sue, a supervisor."""
    enrol = staffed.desk.accounts.add_user(
        staffed.admin_token, "sgreen", "Sue Green", Role.SUPERVISOR, USER_PASSWORD
    )
    return Person("sgreen", USER_PASSWORD, enrol.seed, Role.SUPERVISOR)


@pytest.fixture
def sue(staffed: Staffed, supervisor: Person) -> str:
    """A supervisor's session."""
    return staffed.sign_in(supervisor)


def test_one_calendar_month_ends_on_the_last_day_when_the_date_is_missing() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 11, 26), 1) == date(2026, 12, 26)
    assert add_months(date(2026, 12, 15), 3) == date(2027, 3, 15)
    assert due_date(date(2026, 1, 31), extension_months=2, paused_days=5) == date(2026, 5, 5)


def test_a_request_is_due_a_month_after_it_arrived_and_is_audited(
    staffed: Staffed, sue: str
) -> None:
    sar = staffed.desk.subject_access
    v = sar.add(sue, "Pat Resident", "uk_gdpr", date(2026, 11, 20), subject="x:@resident")
    assert v.reference == "SAR-1"
    assert v.due_on == date(2026, 12, 20)
    assert v.state is DueState.ON_TIME
    assert v.identity_checked_at is None
    with staffed.desk.ctx.db.read() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "sar.add")).one()
    assert entry.object == "sar:1"
    assert "Pat Resident" not in entry.details  # the audit keeps ids and dates, not names


def test_bad_input_is_refused_and_changes_nothing(staffed: Staffed, sue: str) -> None:
    sar = staffed.desk.subject_access
    with pytest.raises(InvalidInput, match="Unknown regime 'gdpr'"):
        sar.add(sue, "Pat", "gdpr", date(2026, 11, 20))
    with pytest.raises(InvalidInput, match="in the future"):
        sar.add(sue, "Pat", "uk_gdpr", date(2026, 12, 20))
    with pytest.raises(InvalidInput, match="requester's name"):
        sar.add(sue, "  ", "uk_gdpr", date(2026, 11, 20))
    assert sar.list(sue) == []


def test_operators_may_not_see_the_register(staffed: Staffed) -> None:
    jo = staffed.sign_in(staffed.operator)
    with pytest.raises(PermissionDenied):
        staffed.desk.subject_access.list(jo)
    # administrators may
    assert staffed.desk.subject_access.list(staffed.admin_token) == []


def test_an_extension_needs_the_notice_and_at_most_two_months(staffed: Staffed, sue: str) -> None:
    sar = staffed.desk.subject_access
    v = sar.add(sue, "Pat", Regime.UK_GDPR, date(2026, 11, 20))
    with pytest.raises(InvalidInput, match="notice given"):
        sar.extend(sue, v.id, 1, " ")
    v = sar.extend(sue, v.id, 2, "Letter sent 2026-11-26: complex request")
    assert v.due_on == date(2027, 2, 20)
    assert v.extension_notice == "Letter sent 2026-11-26: complex request"
    with pytest.raises(InvalidInput, match="at most 2 months"):
        sar.extend(sue, v.id, 1, "more")


def test_days_paused_for_clarification_move_the_due_date(
    staffed: Staffed, supervisor: Person, sue: str
) -> None:
    sar, clock = staffed.desk.subject_access, staffed.clock
    v = sar.add(sue, "Pat", "part3", date(2026, 11, 26))
    assert v.due_on == date(2026, 12, 26)
    sar.pause(sue, v.id, "Asked which account they wrote from")
    clock.advance(days=6)
    sue = staffed.sign_in(supervisor)
    paused = sar.get(sue, v.id)
    assert paused.state is DueState.PAUSED
    assert paused.due_on == date(2027, 1, 1)  # still counting while paused
    with pytest.raises(Conflict, match="already paused"):
        sar.pause(sue, v.id, "again")
    resumed = sar.resume(sue, v.id)
    assert resumed.paused_days == 6
    assert resumed.due_on == date(2027, 1, 1)
    clock.advance(days=10)
    sue = staffed.sign_in(supervisor)
    assert sar.get(sue, v.id).due_on == date(2027, 1, 1)  # no longer moving


def test_overdue_and_due_this_week_are_listed(staffed: Staffed, sue: str) -> None:
    sar = staffed.desk.subject_access
    late = sar.add(sue, "Late", "uk_gdpr", date(2026, 10, 20))  # due 20 Nov: overdue on 26 Nov
    soon = sar.add(sue, "Soon", "uk_gdpr", date(2026, 10, 30))  # due 30 Nov
    sar.add(sue, "Later", "uk_gdpr", date(2026, 11, 20))
    att = sar.attention(sue)
    assert [v.id for v in att.overdue] == [late.id]
    assert att.overdue[0].state is DueState.OVERDUE
    assert [v.id for v in att.due_soon] == [soon.id]


def test_closing_needs_identity_for_disclosure_and_ncnd_its_restriction(
    staffed: Staffed, sue: str
) -> None:
    sar = staffed.desk.subject_access
    v = sar.add(sue, "Pat", "part3", date(2026, 11, 20))
    with pytest.raises(Conflict, match="identity has not been checked"):
        sar.close(sue, v.id, Outcome.DISCLOSED)
    with pytest.raises(Conflict, match="without recording that restriction"):
        sar.close(sue, v.id, "ncnd")
    sar.restrict(sue, v.id, Ground.NEITHER_CONFIRM_NOR_DENY, "Live investigation")
    closed = sar.close(sue, v.id, "ncnd", "Letter sent")
    assert closed.state is DueState.CLOSED
    assert closed.restrictions[0].ground is Ground.NEITHER_CONFIRM_NOR_DENY
    assert closed.closed_by == "sgreen"
    with pytest.raises(Conflict, match="is closed"):
        sar.extend(sue, v.id, 1, "too late")
    other = sar.add(sue, "Sam", "uk_gdpr", date(2026, 11, 20), identity_how="Passport seen")
    assert sar.close(sue, other.id, "disclosed").outcome is Outcome.DISCLOSED
    assert sar.attention(sue).overdue == []


def test_third_party_passages_and_redaction() -> None:
    text = "Tell @neighbour and John Smith (john@example.com, 07700 900123) — from @me"
    found = third_party_passages(text, ["@me", "Me"], ["John Smith"])
    assert [p.why for p in found] == ["mention", "name", "email address", "phone number"]
    spans = [(p.start, p.end) for p in found]
    redacted = apply_redactions(text, spans)
    assert "neighbour" not in redacted and "John" not in redacted and "07700" not in redacted
    assert redacted.count("[redacted: third party]") == 4
    assert "@me" in redacted
    assert parse_redaction("item:12:5-20").span == (5, 20)
    with pytest.raises(InvalidInput, match="KIND:ID"):
        parse_redaction("case:1")


def test_the_handover_lists_overdue_and_soon_due_requests_without_names(
    staffed: Staffed, sue: str
) -> None:
    sar = staffed.desk.subject_access
    sar.add(sue, "Late Requester", "uk_gdpr", date(2026, 10, 20))
    sar.add(sue, "Soon Requester", "part3", date(2026, 10, 30))
    sar.add(sue, "Later Requester", "uk_gdpr", date(2026, 11, 20))
    report = staffed.desk.handover.get(sue, staffed.clock.now())
    lines = [n.text for n in report.notes if "Subject access" in n.text]
    assert lines == [
        "Subject access request SAR-1 (UK GDPR) is OVERDUE: it was due 20 Nov 2026.",
        "Subject access request SAR-2 (DPA 2018 Part 3 (law enforcement)) is due 30 Nov 2026.",
    ]
    assert "Requester" not in " ".join(n.text for n in report.notes)


def test_the_dashboard_counts_overdue_and_soon_due_requests(staffed: Staffed, sue: str) -> None:
    sar = staffed.desk.subject_access
    sar.add(sue, "Late Requester", "uk_gdpr", date(2026, 10, 20))
    sar.add(sue, "Soon Requester", "part3", date(2026, 10, 30))
    data = staffed.desk.dashboard.figures(sue)
    assert data.extra["subject_access"] == {"overdue": 1, "due_soon": 1}
