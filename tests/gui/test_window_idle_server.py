"""Issue 15 item 10 in the window: a session the service locked for idleness covers the window.

The heartbeat checks the session every 30 seconds; it keeps an open window's session alive,
but one whose token went unused past the idle lock (the window's own lock did not happen:
stuck, killed, or the token used elsewhere) is locked by the service, and the window shows
the lock overlay; the person unlocks it with their password and a fresh code.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pytestqt.qtbot import QtBot

from desk.core.errors import ReauthenticationRequired
from desk.gui.main_window import MainWindow
from desk.gui.workers import Worker
from tests.conftest import Staffed, WorkingClock, next_code
from tests.gui.conftest import settle
from tests.gui.test_main_window import unlock

MakeWindow = Callable[..., tuple[MainWindow, str]]


def test_a_session_idle_on_the_server_locks_the_window(
    qtbot: QtBot,
    make_window: MakeWindow,
    staffed: Staffed,
    worker: Worker,
    windows_left_idle: WorkingClock,
) -> None:
    op = staffed.operator
    window, token = make_window(op)
    staffed.clock.advance(minutes=12)  # nothing used the token for longer than the lock
    assert window.check_session()  # the heartbeat
    settle(qtbot, window)
    assert window.locked
    with pytest.raises(ReauthenticationRequired):
        staffed.desk.signin.authorize(token)
    unlock(qtbot, window, worker, op.password, next_code(op.seed, staffed.clock))
    assert not window.locked
    assert window.token == token  # unlocked, not replaced
    assert staffed.desk.signin.authorize(window.token).username == "jsmith"
