"""The main window: status bar, menus by role, the idle lock, and errors from the services."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desk.core.errors import ReauthenticationRequired, SignInFailed
from desk.gui.formatting import clock_time
from desk.gui.main_window import MainWindow, signin_notice
from desk.gui.workers import Worker
from desk.services.views import SignInResult
from tests.conftest import Staffed, next_code
from tests.gui.conftest import activate, settle, type_into

MakeWindow = Callable[..., tuple[MainWindow, str]]


def messages(window: MainWindow) -> list[str]:
    """Return the texts of the message boxes open over ``window``."""
    return [box.text() for box in window.findChildren(QMessageBox) if box.isVisible()]


def unlock(qtbot: QtBot, window: MainWindow, worker: Worker, password: str, code: str) -> None:
    type_into(qtbot, window.overlay.ui.passwordEdit, password)
    type_into(qtbot, window.overlay.ui.codeEdit, code)
    qtbot.mouseClick(window.overlay.ui.unlockButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not worker.busy, timeout=10_000)
    settle(qtbot, window)  # the renewed session is checked before the window uncovers


def test_status_bar_shows_who_is_signed_in_with_role_profile_and_time(
    make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    status = window.status_text
    assert status.startswith("jsmith (operator) · ")
    folder = staffed.desk.profile.data_dir
    assert window.windowTitle() == f"Desk — Digital desk — profile {folder.name}"
    assert str(folder) in window.status_label.toolTip()  # the whole path on hover
    assert "Signed in: jsmith (operator)" in window.status_label.toolTip()
    assert status.endswith(clock_time(staffed.clock.now()))
    assert window.ui.statusbar.isVisible()


def test_a_long_notice_never_widens_the_window(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    window.resize(1200, 800)
    window.show()
    qtbot.waitExposed(window)
    window.shell.notify("Immediate risk on case #101: " + "a very long explanation " * 40)
    qtbot.wait(100)
    assert window.width() == 1200
    assert window.layout().minimumSize().width() < 1200
    assert window.notice_label.toolTip().startswith("Immediate risk on case #101")


def test_an_empty_desk_says_the_queue_is_empty_and_promises_no_fake_data(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    qtbot.waitUntil(lambda: not window.queue.model.loading)
    pane = window.ui.casePane
    assert pane.ui.emptyLabel.isVisible()
    assert pane.ui.emptyLabel.text() == "The queue is empty: nothing is waiting for the desk."
    assert window.queue.model.rowCount() == 0
    assert not window.ui.actionClaim.isEnabled()  # nothing to claim
    pending = window.ui.actionEscalatePending
    assert not pending.isEnabled()
    assert pending.toolTip() == "Arrives in a later version"


def test_an_operator_cannot_open_sign_in_activity(
    make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    action = window.ui.actionSigninActivity
    assert not action.isEnabled()
    assert "operator" in action.toolTip()


def test_if_the_service_refuses_anyway_the_person_sees_why(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    window.ui.actionSigninActivity.setEnabled(True)  # as if the menu got it wrong
    window.ui.actionSigninActivity.trigger()
    settle(qtbot, window)
    assert window.activity_dialog is None
    assert messages(window) == ["The operator role may not view signin activity."]


def test_an_administrator_sees_sign_in_failures_with_reasons(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    op = staffed.operator
    with pytest.raises(SignInFailed):
        staffed.desk.signin.sign_in(
            op.username, "a wrong password 123", next_code(op.seed, staffed.clock)
        )
    with pytest.raises(SignInFailed):
        staffed.desk.signin.sign_in(op.username, op.password, "000000")
    window, _token = make_window(staffed.admin)
    assert window.ui.actionSigninActivity.isEnabled()
    window.ui.actionSigninActivity.trigger()
    settle(qtbot, window)
    dialog = window.activity_dialog
    assert dialog is not None and dialog.isVisible()
    failures = [r for r in dialog.visible_rows() if r.event == "Sign-in failed"]
    assert [(r.account, r.detail.split(";")[0]) for r in failures] == [
        ("jsmith", "wrong or expired code"),
        ("jsmith", "wrong password"),
    ]
    assert "2 in a row" in failures[0].detail


def test_idle_lock_covers_the_window_and_unlock_keeps_the_same_window(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, worker: Worker
) -> None:
    op = staffed.operator
    window, token = make_window(op, idle_ms=150)
    assert not window.locked
    qtbot.waitUntil(lambda: window.locked, timeout=3_000)

    overlay = window.overlay
    assert overlay.isVisible()
    assert overlay.geometry() == window.rect()  # menus, content and status bar all covered
    assert not window.ui.centralwidget.isEnabled()
    assert not window.ui.menubar.isEnabled()
    assert not window.ui.actionSignOut.isEnabled()
    assert "Jo Smith, enter your password and a new code" in overlay.ui.promptLabel.text()
    assert window.windowTitle().startswith("Desk — Digital desk — profile ")
    settle(qtbot, window)
    with pytest.raises(ReauthenticationRequired):
        staffed.desk.signin.authorize(token)

    unlock(qtbot, window, worker, op.password, next_code(op.seed, staffed.clock))
    assert not window.locked
    assert window.ui.centralwidget.isEnabled()
    assert window.ui.actionSignOut.isEnabled()
    assert staffed.desk.signin.authorize(window.token).username == "jsmith"


def test_a_wrong_unlock_stays_locked_with_the_generic_message(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, worker: Worker
) -> None:
    op = staffed.operator
    window, _token = make_window(op)
    window.ui.actionLock.trigger()
    assert window.locked
    unlock(qtbot, window, worker, "not my password 99", next_code(op.seed, staffed.clock))
    assert window.locked
    assert window.overlay.ui.messageLabel.text() == SignInFailed().message
    assert window.overlay.ui.passwordEdit.text() == ""
    assert window.overlay.ui.unlockButton.isEnabled()


def test_ctrl_l_locks_at_once(qtbot: QtBot, make_window: MakeWindow, staffed: Staffed) -> None:
    window, token = make_window(staffed.operator)
    assert window.ui.actionLock.shortcut() == QKeySequence("Ctrl+L")
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked  # covered at once, before the lock is recorded
    settle(qtbot, window)
    with pytest.raises(ReauthenticationRequired):
        staffed.desk.signin.authorize(token)


def test_locking_hides_open_dialogs_and_unlocking_brings_them_back(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, worker: Worker
) -> None:
    admin = staffed.admin
    window, _token = make_window(admin)
    window.ui.actionSigninActivity.trigger()
    settle(qtbot, window)
    dialog = window.activity_dialog
    assert dialog is not None and dialog.isVisible()
    window.lock()
    assert not dialog.isVisible()
    unlock(qtbot, window, worker, admin.password, next_code(admin.seed, staffed.clock))
    assert dialog.isVisible()
    assert window.activity_dialog is dialog


def test_a_session_over_its_limit_locks_the_window(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, worker: Worker
) -> None:
    op = staffed.operator
    window, token = make_window(op)
    staffed.clock.advance(hours=12, minutes=1)
    assert window.check_session()  # the check runs on the worker
    settle(qtbot, window)
    assert window.locked
    unlock(qtbot, window, worker, op.password, next_code(op.seed, staffed.clock))
    assert not window.locked
    assert window.token != token  # a fresh session replaced the expired one
    assert staffed.desk.signin.authorize(window.token).username == "jsmith"


def test_the_notice_reads_well_with_and_without_an_earlier_sign_in(
    make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    first = SignInResult("t", window.actor, None, 1, False)
    assert signin_notice(first) == (
        "1 failed sign-in attempt on your account before this, your first sign-in. "
        "If that was not you, tell your supervisor."
    )
    clean = SignInResult("t", window.actor, staffed.clock.now(), 0, False)
    assert signin_notice(clean) is None
    assert window.show_signin_notice(clean) is None
