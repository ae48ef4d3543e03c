"""Leavers under investigation: every session ended at once, the last 30 days for review."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.core.errors import Conflict, InvalidInput, NotFound, PermissionDenied, SessionEnded
from desk.core.items import Platform
from desk.core.leavers import case_of
from desk.core.roles import Role
from desk.services.people import REASSIGN
from desk.services.signin import CLI, GUI
from tests.backend import plain_reads
from tests.conftest import Person, Staffed, next_code
from tests.services.helpers import item

SUP_PASSWORD = "sergeant pass phrase 42"


def _add(staffed: Staffed, username: str, role: Role) -> Person:
    enrolment = staffed.desk.accounts.add_user(
        staffed.admin_token, username, username.title(), role, SUP_PASSWORD
    )
    return Person(username, SUP_PASSWORD, enrolment.seed, role)


def _sign_in(staffed: Staffed, person: Person, kind: str = GUI) -> str:
    code = next_code(person.seed, staffed.clock)
    desk = staffed.desk
    return desk.signin.sign_in(person.username, person.password, code, kind, "PC-1").token


def _case_ids(staffed: Staffed) -> list[int]:
    with plain_reads(staffed.desk) as db:
        return [r[0] for r in db.execute("SELECT id FROM cases ORDER BY id")]


def test_an_investigated_leaver_loses_every_session_and_their_last_30_days_wait_for_review(
    staffed: Staffed,
) -> None:
    d, clock, admin = staffed.desk, staffed.clock, staffed.admin_token
    sgt = _add(staffed, "sgt", Role.SUPERVISOR)
    _add(staffed, "kbrown", Role.OPERATOR)
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.importer.store(admin, [item("1", "Is the road closed?")], "test")
    (case_id,) = _case_ids(staffed)

    too_old = _sign_in(staffed, staffed.operator)  # 30 days and 30 seconds before leaving
    d.signin.sign_out(too_old)
    first_day = _sign_in(staffed, staffed.operator)  # exactly 30 days before: included
    leaving = clock.now() + timedelta(days=30)
    clock.advance(minutes=2)
    d.cases.claim(first_day, case_id)
    d.signin.sign_out(first_day)
    clock.set(leaving - timedelta(hours=1))
    window = _sign_in(staffed, staffed.operator, GUI)
    command = _sign_in(staffed, staffed.operator, CLI)
    clock.set(leaving - timedelta(minutes=1))
    admin = _sign_in(staffed, staffed.admin)  # the first one is weeks old now
    clock.set(leaving)

    result = d.people.disable(
        admin, "jsmith", cases=REASSIGN, to="kbrown", under_investigation=True
    )
    assert result.sessions_ended == 2
    for token in (window, command):
        with pytest.raises(SessionEnded, match="disabled"):
            d.signin.authorize(token)

    supervisor = _sign_in(staffed, sgt)
    waiting = d.leavers.pending_reviews(supervisor)
    assert [(w.username, w.disabled_at, w.disabled_by) for w in waiting] == [
        ("jsmith", leaving, "admin")
    ]
    review = d.leavers.leaver_review(supervisor, "jsmith")
    assert review.since == leaving - timedelta(days=30) and review.disabled_at == leaving
    assert review.under_investigation and review.reviewed_at is None and review.complete
    assert review.marking == "OFFICIAL-SENSITIVE"
    listed = [(a.action, a.case_id) for a in review.actions]
    assert listed == [
        ("signin.success", None),  # the first day's sign-in, at the period's very start
        ("case.claim", case_id),
        ("session.signout", None),
        ("signin.success", None),
        ("signin.success", None),
    ]
    times = [a.at for a in review.actions]
    assert times == sorted(times)
    assert times[0] == (leaving - timedelta(days=30)).isoformat(timespec="microseconds").replace(
        "+00:00", "Z"
    )
    # the disabling itself (and the sessions it ended) is the administrator's, not listed
    assert all(a.action != "session.disabled" for a in review.actions)

    d.leavers.record_reviewed(supervisor, "jsmith", "Nothing untoward found.")
    assert d.leavers.pending_reviews(supervisor) == []
    again = d.leavers.leaver_review(supervisor, "jsmith")
    assert (again.reviewed_by, again.note) == ("sgt", "Nothing untoward found.")
    with pytest.raises(Conflict, match="sgt recorded it reviewed"):
        d.leavers.record_reviewed(supervisor, "jsmith")
    audit = d.audit.entries(admin, action_prefix="leaver.")
    assert [(e.actor, e.action) for e in reversed(audit)] == [
        ("admin", "leaver.review_due"),
        ("sgt", "leaver.review_read"),
        ("sgt", "leaver.reviewed"),
        ("sgt", "leaver.review_read"),
    ]


def test_who_may_read_and_record_a_leaver_review(staffed: Staffed) -> None:
    d, admin = staffed.desk, staffed.admin_token
    sgt = _add(staffed, "sgt", Role.SUPERVISOR)
    kim = _add(staffed, "kbrown", Role.OPERATOR)
    d.people.disable(admin, "jsmith", cases=REASSIGN, to="kbrown", under_investigation=True)
    operator = _sign_in(staffed, kim)
    with pytest.raises(PermissionDenied):
        d.leavers.leaver_review(operator, "jsmith")
    with pytest.raises(PermissionDenied):
        d.leavers.pending_reviews(operator)
    assert d.leavers.leaver_review(admin, "jsmith").username == "jsmith"  # administrators read
    with pytest.raises(PermissionDenied):  # ... but a supervisor records the review
        d.leavers.record_reviewed(admin, "jsmith")
    supervisor = _sign_in(staffed, sgt)
    with pytest.raises(InvalidInput, match="at most 2000"):
        d.leavers.record_reviewed(supervisor, "jsmith", "x" * 2001)
    assert len(d.leavers.pending_reviews(supervisor)) == 1  # refused: nothing changed


def test_only_a_leaver_under_investigation_waits_for_review(staffed: Staffed) -> None:
    d, admin = staffed.desk, staffed.admin_token
    sgt = _add(staffed, "sgt", Role.SUPERVISOR)
    supervisor = _sign_in(staffed, sgt)
    with pytest.raises(Conflict, match="not a leaver"):
        d.leavers.leaver_review(supervisor, "jsmith")
    with pytest.raises(NotFound, match="no account called 'ghost'"):
        d.leavers.leaver_review(supervisor, "ghost")
    d.people.disable(admin, "jsmith")
    assert d.leavers.pending_reviews(supervisor) == []
    review = d.leavers.leaver_review(supervisor, "jsmith")  # readable, nothing to record
    assert review.review_id is None and not review.under_investigation
    with pytest.raises(Conflict, match="No leaver review of jsmith is waiting"):
        d.leavers.record_reviewed(supervisor, "jsmith")


def test_an_audit_entry_names_its_case_by_object_or_detail() -> None:
    assert case_of("case:12", "{}") == 12
    assert case_of("reply:4", '{"case": 7}') == 7
    assert case_of("account:jo", '{"case": true}') is None
    assert case_of("account:jo", "not json") is None
