"""Sign-in: both factors, codes good once, throttling, locks, alerts, sessions."""

from __future__ import annotations

import json
import threading
from datetime import timedelta

import pytest

from desk.auth.totp import code_at, time_step
from desk.core.errors import (
    PermissionDenied,
    ReauthenticationRequired,
    SessionEnded,
    SignInFailed,
)
from desk.core.roles import Action
from desk.services.desk import Desk
from tests.backend import same_database
from tests.conftest import Staffed, current_code, next_code

GENERIC = SignInFailed().message


def events(staffed: Staffed, prefix: str = "signin.") -> list[tuple[str, dict]]:
    rows = staffed.desk.audit.entries(staffed.admin_token, 500, prefix)
    return [(r.action, json.loads(r.details)) for r in reversed(rows)]


def fail(staffed: Staffed, username: str, password: str, code: str) -> str:
    with pytest.raises(SignInFailed) as err:
        staffed.desk.signin.sign_in(username, password, code)
    return err.value.message


def test_right_password_and_code_sign_in(staffed: Staffed) -> None:
    op = staffed.operator
    result = staffed.desk.signin.sign_in(
        op.username, op.password, next_code(op.seed, staffed.clock)
    )
    assert result.actor.username == "jsmith" and result.actor.role.value == "operator"
    assert staffed.desk.signin.authorize(result.token).username == "jsmith"
    assert events(staffed)[-1] == ("signin.success", {"failures_before": 0, "kind": "gui"})


def test_the_message_never_says_which_part_was_wrong(staffed: Staffed) -> None:
    op, clock = staffed.operator, staffed.clock
    messages = {
        fail(staffed, op.username, "wrong password here", next_code(op.seed, clock)),
        fail(staffed, op.username, op.password, "000000"),
        fail(staffed, "nobody", op.password, next_code(op.seed, clock)),
        fail(staffed, op.username, op.password, "not a code"),
    }
    assert messages == {GENERIC}
    reasons = [d.get("reason") for a, d in events(staffed) if a == "signin.failure"]
    assert reasons == ["password", "code", "unknown_user", "code"]


def test_a_code_is_accepted_once_only(staffed: Staffed) -> None:
    op, clock = staffed.operator, staffed.clock
    code = next_code(op.seed, clock)
    staffed.desk.signin.sign_in(op.username, op.password, code)
    assert fail(staffed, op.username, op.password, code) == GENERIC
    assert events(staffed)[-1][1]["reason"] == "code_reused"
    full_width = code.translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    assert fail(staffed, op.username, op.password, full_width) == GENERIC
    assert events(staffed)[-1][1]["reason"] == "code_reused"


def test_an_older_code_fails_after_a_newer_one(staffed: Staffed) -> None:
    op, clock = staffed.operator, staffed.clock
    clock.advance(seconds=60)
    step = time_step(clock.now())
    staffed.desk.signin.sign_in(op.username, op.password, code_at(op.seed, step + 1))  # drift +1
    assert fail(staffed, op.username, op.password, code_at(op.seed, step)) == GENERIC
    # refused as a code used up (its step is behind the newest one accepted), not as a typo
    assert events(staffed)[-1] == (
        "signin.failure",
        {"reason": "code_reused", "kind": "gui", "failures": 1},
    )


def test_concurrent_submissions_of_one_code_let_one_in(staffed: Staffed) -> None:
    """Two windows on one database submit the same code at the same moment."""
    op, clock = staffed.operator, staffed.clock
    code = next_code(op.seed, clock)
    desks = [Desk.open(staffed.desk.profile, clock, same_database(staffed.desk)) for _ in range(4)]
    barrier = threading.Barrier(len(desks))
    outcomes: list[str] = []

    def attempt(desk: Desk) -> None:
        barrier.wait()
        try:
            desk.signin.sign_in(op.username, op.password, code)
            outcomes.append("in")
        except SignInFailed:
            outcomes.append("refused")

    threads = [threading.Thread(target=attempt, args=(d,)) for d in desks]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for d in desks:
        d.close()
    assert sorted(outcomes) == ["in", "refused", "refused", "refused"]


def test_throttled_from_the_fifth_failure_then_locked_at_ten(staffed: Staffed) -> None:
    op, clock, desk = staffed.operator, staffed.clock, staffed.desk
    for _ in range(5):
        fail(staffed, op.username, "wrong password here", "000000")
    # within the delay even the right password and code are refused, and not counted
    clock.advance(seconds=20)
    assert fail(staffed, op.username, op.password, current_code(op.seed, clock)) == GENERIC
    assert events(staffed)[-1][1]["reason"] == "throttled"
    delays = []
    for _ in range(5):
        clock.advance(seconds=301)
        before = clock.now()
        fail(staffed, op.username, "wrong password here", "000000")
        user = next(
            u for u in desk.accounts.list_users(staffed.admin_token) if u.username == "jsmith"
        )
        if user.throttled_until:
            delays.append(user.throttled_until - before)
    assert delays == sorted(delays) and delays[0] > timedelta(0)
    assert ("signin.lock", {"failures": 10}) in events(staffed)
    clock.advance(hours=1)
    staffed.admin_token = staffed.sign_in(staffed.admin)  # their window locked in the hour
    assert fail(staffed, op.username, op.password, next_code(op.seed, clock)) == GENERIC
    assert events(staffed)[-1][1]["reason"] == "locked"

    desk.accounts.unlock(staffed.admin_token, "jsmith")
    result = desk.signin.sign_in(op.username, op.password, next_code(op.seed, clock))
    assert result.failures_since_last_login == 0
    assert [a for a, _ in events(staffed)][-2:] == ["signin.unlock", "signin.success"]


def test_success_after_several_failures_raises_an_alert(staffed: Staffed) -> None:
    op, clock = staffed.operator, staffed.clock
    for _ in range(3):
        fail(staffed, op.username, "guessing a password", "123456")
    result = staffed.desk.signin.sign_in(op.username, op.password, next_code(op.seed, clock))
    assert result.alert and result.failures_since_last_login == 3
    assert events(staffed)[-1] == ("signin.alert", {"failures": 3})
    activity = staffed.desk.audit.signin_activity(staffed.admin_token)
    assert activity[0].action == "signin.alert"


def test_disabling_ends_the_open_session_at_the_next_action(staffed: Staffed) -> None:
    token = staffed.sign_in(staffed.operator)
    staffed.desk.accounts.disable(staffed.admin_token, "jsmith")
    with pytest.raises(SessionEnded, match="disabled"):
        staffed.desk.signin.authorize(token)
    op = staffed.operator
    assert fail(staffed, op.username, op.password, next_code(op.seed, staffed.clock)) == GENERIC


def test_idle_lock_needs_password_and_a_fresh_code(staffed: Staffed) -> None:
    desk, op, clock = staffed.desk, staffed.operator, staffed.clock
    token = staffed.sign_in(op)
    desk.signin.lock(token)
    with pytest.raises(ReauthenticationRequired):
        desk.signin.authorize(token)
    with pytest.raises(SignInFailed):
        desk.signin.reauthenticate(token, op.password, current_code(op.seed, clock))  # used
    same = desk.signin.reauthenticate(token, op.password, next_code(op.seed, clock))
    assert same == token
    assert desk.signin.authorize(token).username == "jsmith"


def test_after_twelve_hours_a_full_sign_in_is_needed(staffed: Staffed) -> None:
    desk, op, clock = staffed.desk, staffed.operator, staffed.clock
    token = staffed.sign_in(op)
    for _ in range(71):  # the window in use all day (its heartbeat, every few minutes)
        clock.advance(minutes=10)
        desk.signin.authorize(token)
    clock.advance(minutes=9)  # 11 h 59
    desk.signin.authorize(token)
    clock.advance(minutes=2)
    with pytest.raises(ReauthenticationRequired, match="12 hours"):
        desk.signin.authorize(token)
    fresh = desk.signin.reauthenticate(token, op.password, next_code(op.seed, clock))
    assert fresh != token
    assert desk.signin.authorize(fresh).signed_in_at == clock.now()
    with pytest.raises(SessionEnded):
        desk.signin.authorize(token)


def test_cli_sessions_end_after_fifteen_idle_minutes(staffed: Staffed) -> None:
    token = staffed.sign_in(staffed.operator, kind="cli")
    staffed.clock.advance(minutes=14)
    staffed.desk.signin.authorize(token)
    staffed.clock.advance(minutes=16)
    with pytest.raises(SessionEnded, match="idle"):
        staffed.desk.signin.authorize(token)


def test_sign_out_ends_the_token(staffed: Staffed) -> None:
    token = staffed.sign_in(staffed.operator)
    staffed.desk.signin.sign_out(token)
    with pytest.raises(SessionEnded, match="signed out"):
        staffed.desk.signin.authorize(token)


def test_roles_are_checked_by_the_services(staffed: Staffed) -> None:
    token = staffed.sign_in(staffed.operator)
    with pytest.raises(PermissionDenied):
        staffed.desk.audit.signin_activity(token)
    with pytest.raises(PermissionDenied):
        staffed.desk.accounts.disable(token, "admin")
    staffed.desk.signin.authorize(token, Action.VIEW_QUEUE)


def test_the_last_administrator_cannot_be_disabled(staffed: Staffed) -> None:
    from desk.core.errors import Conflict

    with pytest.raises(Conflict, match="last active administrator"):
        staffed.desk.accounts.disable(staffed.admin_token, "admin")


def test_language_skills_route_welsh_to_welsh_speakers(staffed: Staffed) -> None:
    from desk.core.errors import InvalidInput

    accounts = staffed.desk.accounts
    assert accounts.set_languages(staffed.admin_token, "jsmith", ["en", "CY"]) == ("en", "cy")
    assert accounts.speakers_of(staffed.admin_token, "cy") == ["jsmith"]
    with pytest.raises(InvalidInput, match="cy"):
        accounts.set_languages(staffed.admin_token, "jsmith", ["fr"])
    view = next(u for u in accounts.list_users(staffed.admin_token) if u.username == "jsmith")
    assert view.languages == ("en", "cy")
    entry = staffed.desk.audit.entries(staffed.admin_token, 1)[0]
    assert (entry.action, json.loads(entry.details)["after"]) == ("account.languages", "en,cy")
