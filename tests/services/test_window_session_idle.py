"""Issue 15 item 10: the service itself locks a window's session left idle past the lock time.

Nobody is at the windows here (``windows_left_idle``): only the calls a test makes use a
session. The attack: a window's token (a crashed or killed window, a token read from its memory) used
long after its owner walked away. Before the fix only command-line sessions went idle on the
server side; a window token worked for 12 hours.
"""

from __future__ import annotations

import json

import pytest

from desk.core.errors import ReauthenticationRequired, SessionEnded
from tests.conftest import Staffed, WorkingClock, next_code


def test_a_window_token_idle_past_the_lock_is_locked(
    staffed: Staffed, windows_left_idle: WorkingClock
) -> None:
    op, desk, clock = staffed.operator, staffed.desk, staffed.clock
    token = staffed.sign_in(op)  # a window's session (kind "gui")
    clock.advance(minutes=12)  # the lock is 10 minutes; nothing used the token since
    with pytest.raises(ReauthenticationRequired, match="locked"):
        desk.settings.set(token, "desk_name", "Taken over")  # any call with the token
    with pytest.raises(ReauthenticationRequired, match="locked"):
        desk.signin.authorize(token)  # it stays locked: no use of the token unlocks it
    admin = staffed.sign_in(staffed.admin)  # the administrator's own window went idle too
    locks = desk.audit.entries(admin, 5, "session.lock")
    assert locks[0].object == "account:jsmith"
    assert json.loads(locks[0].details)["idle_minutes"] == 12
    # the person unlocks it as the window's lock overlay does: password and a fresh code
    desk.signin.reauthenticate(token, op.password, next_code(op.seed, clock))
    assert desk.signin.authorize(token).username == "jsmith"


def test_a_window_in_use_is_never_locked_by_the_service(
    staffed: Staffed, windows_left_idle: WorkingClock
) -> None:
    op, desk, clock = staffed.operator, staffed.desk, staffed.clock
    token = staffed.sign_in(op)
    for _ in range(12):  # two hours of use, every ten minutes
        clock.advance(minutes=10)
        assert desk.signin.authorize(token).username == "jsmith"


def test_the_server_lock_follows_the_idle_lock_setting(
    staffed: Staffed, windows_left_idle: WorkingClock
) -> None:
    op, desk, clock = staffed.operator, staffed.desk, staffed.clock
    desk.settings.set(staffed.admin_token, "idle_lock_minutes", "30")
    token = staffed.sign_in(op)
    clock.advance(minutes=25)
    assert desk.signin.authorize(token).username == "jsmith"
    clock.advance(minutes=32)
    with pytest.raises(ReauthenticationRequired, match="locked"):
        desk.signin.authorize(token)


def test_a_locked_idle_session_shows_as_locked_in_the_device_list(
    staffed: Staffed, windows_left_idle: WorkingClock
) -> None:
    op, desk, clock = staffed.operator, staffed.desk, staffed.clock
    token = staffed.sign_in(op)
    clock.advance(minutes=12)
    admin = staffed.sign_in(staffed.admin)
    sessions = desk.devices.list_sessions(admin, "jsmith")
    assert [v.locked for v in sessions] == [True]
    with pytest.raises(ReauthenticationRequired):
        desk.signin.authorize(token)


def test_a_command_line_session_still_ends_after_15_idle_minutes(
    staffed: Staffed, windows_left_idle: WorkingClock
) -> None:
    op, desk, clock = staffed.operator, staffed.desk, staffed.clock
    token = staffed.sign_in(op, kind="cli")
    clock.advance(minutes=16)
    with pytest.raises(SessionEnded, match="idle for over 15 minutes"):
        desk.signin.authorize(token)
