"""Movers and leavers: role changes, disabling with cases moved, fresh enrolment, access review."""

from __future__ import annotations

import json

import pyotp
import pytest

from desk.core.errors import Conflict, InvalidInput, PermissionDenied, SessionEnded, SignInFailed
from desk.core.items import Platform
from desk.core.roles import Action, Role
from tests.backend import plain_reads
from tests.conftest import Person, Staffed, next_code
from tests.services.helpers import item

SUP_PASSWORD = "sergeant pass phrase 42"
FRESH_PASSWORD = "a brand new pass phrase 7"


def _add(staffed: Staffed, username: str, role: Role, password: str = SUP_PASSWORD) -> Person:
    enrolment = staffed.desk.accounts.add_user(
        staffed.admin_token, username, username.title(), role, password
    )
    return Person(username, password, enrolment.seed, role)


def _cases_owned_by(staffed: Staffed, person: Person, count: int) -> list[int]:
    """Import ``count`` items from different authors; ``person`` claims each case."""
    d, admin = staffed.desk, staffed.admin_token
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.importer.store(
        admin,
        [item(str(n), f"Question {n} about the road", author=f"u{n}") for n in range(count)],
        "test",
    )
    token = staffed.sign_in(person)
    with plain_reads(d) as db:
        ids = [r[0] for r in db.execute("SELECT id FROM cases ORDER BY id")]
    for case_id in ids:
        d.cases.claim(token, case_id)
    return ids


def _row(staffed: Staffed, username: str):
    rows = staffed.desk.people.access_review(staffed.admin_token)
    return next(r for r in rows if r.username == username)


def _audit(staffed: Staffed, prefix: str) -> list:
    return staffed.desk.audit.entries(staffed.admin_token, limit=200, action_prefix=prefix)


# movers ----------------------------------------------------------------------------------------


def test_a_role_change_is_recorded_with_its_approver_and_applies_at_once(staffed: Staffed) -> None:
    d = staffed.desk
    token = staffed.sign_in(staffed.operator)
    staffed.clock.advance(minutes=5)
    changed_at = staffed.clock.now()
    ended = d.people.change_role(staffed.admin_token, "jsmith", Role.SUPERVISOR)
    assert ended == 1
    with pytest.raises(SessionEnded, match="role was changed"):
        d.signin.authorize(token)
    again = staffed.sign_in(staffed.operator)
    assert d.signin.authorize(again, Action.VIEW_SIGNIN_ACTIVITY).role is Role.SUPERVISOR
    row = _row(staffed, "jsmith")
    assert row.role is Role.SUPERVISOR
    assert row.approved_by == "admin"
    assert row.role_changed_at == changed_at
    entry = _audit(staffed, "account.role")[0]
    assert entry.actor == "admin" and entry.object == "account:jsmith"
    assert json.loads(entry.details) == {
        "before": "operator",
        "after": "supervisor",
        "approved_by": "admin",
    }


def test_a_named_approver_is_recorded(staffed: Staffed) -> None:
    _add(staffed, "cjones", Role.SUPERVISOR)  # the approver is an account on the desk
    staffed.desk.people.change_role(
        staffed.admin_token, "jsmith", Role.COMMUNICATIONS, approved_by=" CJones "
    )
    assert _row(staffed, "jsmith").approved_by == "cjones"


def test_the_last_administrator_cannot_be_demoted(staffed: Staffed) -> None:
    with pytest.raises(Conflict, match="last active administrator"):
        staffed.desk.people.change_role(staffed.admin_token, "admin", Role.SUPERVISOR)
    assert _row(staffed, "admin").role is Role.ADMINISTRATOR
    _add(staffed, "second", Role.ADMINISTRATOR)
    staffed.desk.people.change_role(staffed.admin_token, "second", Role.OPERATOR)
    assert _row(staffed, "second").role is Role.OPERATOR


def test_only_administrators_change_roles(staffed: Staffed) -> None:
    token = staffed.sign_in(staffed.operator)
    with pytest.raises(PermissionDenied):
        staffed.desk.people.change_role(token, "jsmith", Role.ADMINISTRATOR)
    assert _row(staffed, "jsmith").role is Role.OPERATOR


# leavers ---------------------------------------------------------------------------------------


def test_disabling_destroys_credentials_and_ends_sessions_at_once(staffed: Staffed) -> None:
    d = staffed.desk
    token = staffed.sign_in(staffed.operator)
    with plain_reads(d) as db:
        before = db.execute(
            "SELECT password_verifier, totp_sealed FROM accounts WHERE username='jsmith'"
        ).fetchone()
    assert before[0].startswith("$argon2") and before[1]

    result = d.people.disable(staffed.admin_token, "jsmith")
    assert result.sessions_ended == 1
    with pytest.raises(SessionEnded, match="disabled"):
        d.signin.authorize(token)

    with plain_reads(d) as db:
        verifier, sealed, step, active, disabled_at = db.execute(
            "SELECT password_verifier, totp_sealed, totp_last_step, active, disabled_at "
            "FROM accounts WHERE username='jsmith'"
        ).fetchone()
    assert sealed is None and step is None
    assert verifier != before[0] and not verifier.startswith("$argon2")
    assert active == 0 and disabled_at is not None

    code = next_code(staffed.operator.seed, staffed.clock)
    with pytest.raises(SignInFailed):
        d.signin.sign_in("jsmith", staffed.operator.password, code)
    entry = _audit(staffed, "account.disable")[0]
    assert json.loads(entry.details)["credentials"] == "destroyed"


def test_release_gives_their_open_cases_back_to_the_queue(staffed: Staffed) -> None:
    d = staffed.desk
    ids = _cases_owned_by(staffed, staffed.operator, 2)
    result = d.people.disable(staffed.admin_token, "jsmith", cases="release")
    assert result.released == tuple(ids) and result.reassigned == ()
    for case_id in ids:
        with plain_reads(d) as db:
            status, owner = db.execute(
                "SELECT status, owner_id FROM cases WHERE id=?", (case_id,)
            ).fetchone()
            line = db.execute(
                "SELECT actor, kind, text FROM case_events WHERE case_id=? ORDER BY id DESC",
                (case_id,),
            ).fetchone()
        assert (status, owner) == ("new", None)
        assert line[0] == "admin" and line[1] == "release"
        assert "jsmith left the desk" in line[2]
    released = [e.object for e in _audit(staffed, "case.release")]
    assert sorted(released) == sorted(f"case:{i}" for i in ids)


def test_reassign_gives_their_open_cases_to_a_named_person(staffed: Staffed) -> None:
    d = staffed.desk
    _add(staffed, "sgt", Role.SUPERVISOR)
    ids = _cases_owned_by(staffed, staffed.operator, 2)
    result = d.people.disable(staffed.admin_token, "jsmith", cases="reassign", to="sgt")
    assert result.reassigned == tuple(ids) and result.reassigned_to == "sgt"
    with plain_reads(d) as db:
        owners = {
            r[0]
            for r in db.execute(
                "SELECT a.username FROM cases c JOIN accounts a ON a.id = c.owner_id"
            )
        }
        texts = [r[0] for r in db.execute("SELECT text FROM case_events WHERE kind='reassign'")]
    assert owners == {"sgt"}
    assert texts == ["reassigned from jsmith to sgt: jsmith left the desk"] * 2
    assert len(_audit(staffed, "case.reassign")) == 2
    assert _row(staffed, "sgt").open_cases == 2


def test_reassign_refuses_someone_who_does_not_work_cases_and_changes_nothing(
    staffed: Staffed,
) -> None:
    d = staffed.desk
    ids = _cases_owned_by(staffed, staffed.operator, 1)
    with pytest.raises(InvalidInput, match="does not work cases"):
        d.people.disable(staffed.admin_token, "jsmith", cases="reassign", to="admin")
    row = _row(staffed, "jsmith")
    assert row.active and row.open_cases == len(ids)
    staffed.sign_in(staffed.operator)  # the credentials are still there


def test_a_leaver_under_investigation_must_have_cases_reassigned(staffed: Staffed) -> None:
    d = staffed.desk
    _add(staffed, "sgt", Role.SUPERVISOR)
    _cases_owned_by(staffed, staffed.operator, 1)
    with pytest.raises(InvalidInput, match="under investigation must have their open cases"):
        d.people.disable(staffed.admin_token, "jsmith", cases="release", under_investigation=True)
    assert _row(staffed, "jsmith").active
    d.people.disable(
        staffed.admin_token, "jsmith", cases="reassign", to="sgt", under_investigation=True
    )
    row = _row(staffed, "jsmith")
    assert not row.active and row.under_investigation and row.disabled_at is not None
    assert row.open_cases == 0 and _row(staffed, "sgt").open_cases == 1


def test_enable_issues_a_fresh_enrolment_that_signs_in(staffed: Staffed) -> None:
    d = staffed.desk
    d.people.disable(staffed.admin_token, "jsmith")
    enrolment = d.people.enable(staffed.admin_token, "jsmith", FRESH_PASSWORD)
    assert enrolment.seed != staffed.operator.seed
    assert f"secret={enrolment.seed}" in enrolment.uri
    staffed.clock.advance(seconds=30)
    code = pyotp.TOTP(enrolment.seed).at(staffed.clock.now())  # the person's phone
    result = d.signin.sign_in("jsmith", FRESH_PASSWORD, code)
    assert result.actor.username == "jsmith"
    # the old password and seed stay dead
    staffed.clock.advance(seconds=30)
    old = pyotp.TOTP(staffed.operator.seed).at(staffed.clock.now())
    with pytest.raises(SignInFailed):
        d.signin.sign_in("jsmith", staffed.operator.password, old)
    assert _row(staffed, "jsmith").active


def test_enable_refuses_a_weak_password_and_an_active_account(staffed: Staffed) -> None:
    d = staffed.desk
    with pytest.raises(Conflict, match="already enabled"):
        d.people.enable(staffed.admin_token, "jsmith", FRESH_PASSWORD)
    d.people.disable(staffed.admin_token, "jsmith")
    with pytest.raises(InvalidInput):
        d.people.enable(staffed.admin_token, "jsmith", "short")
    assert not _row(staffed, "jsmith").active


# the access review -----------------------------------------------------------------------------


def test_the_access_review_lists_every_account_with_its_approver(staffed: Staffed) -> None:
    d = staffed.desk
    sgt = _add(staffed, "sgt", Role.SUPERVISOR)
    d.signin.sign_in(sgt.username, sgt.password, next_code(sgt.seed, staffed.clock))
    d.people.disable(staffed.admin_token, "jsmith")
    rows = {r.username: r for r in d.people.access_review(staffed.admin_token)}
    assert set(rows) == {"admin", "jsmith", "sgt"}
    assert rows["admin"].approved_by == "setup"
    assert rows["sgt"].approved_by == "admin" and rows["sgt"].last_login_at is not None
    assert not rows["jsmith"].active and rows["jsmith"].disabled_at is not None
    # supervisors may read it too; operators may not
    token = d.signin.sign_in(sgt.username, sgt.password, next_code(sgt.seed, staffed.clock)).token
    assert len(d.people.access_review(token)) == 3
    with pytest.raises(PermissionDenied):
        d.people.disable(token, "admin")


# sign-in alerts --------------------------------------------------------------------------------


def test_sign_in_alerts_report_repeated_failures_and_a_lock_once(staffed: Staffed) -> None:
    d = staffed.desk
    start = d.people.signin_alerts(staffed.admin_token)
    assert start.alerts == ()
    for _ in range(10):
        staffed.clock.advance(minutes=10)  # past any throttle
        with pytest.raises(SignInFailed):
            d.signin.sign_in("jsmith", "wrong password entirely", "000000")
    batch = d.people.signin_alerts(staffed.admin_token, start.last_seq)
    kinds = [(a.kind, a.username, a.failures) for a in batch.alerts]
    assert kinds == [("failures", "jsmith", 3), ("lock", "jsmith", 10)]
    assert d.people.signin_alerts(staffed.admin_token, batch.last_seq).alerts == ()
