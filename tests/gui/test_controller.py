"""The windows in sequence: set-up wizard, login, main window, and back to login."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWizard
from pytestqt.qtbot import QtBot

from desk.core.clock import ManualClock
from desk.core.errors import SessionEnded, SignInFailed
from desk.core.roles import Role
from desk.gui.controller import DeskController
from desk.gui.formatting import local_time
from desk.gui.main_window import MainWindow
from desk.services.desk import Desk
from tests.conftest import ADMIN_PASSWORD, Person, Staffed, current_code, next_code
from tests.gui.conftest import submit_login, type_into

MakeController = Callable[..., DeskController]


def sign_in(
    qtbot: QtBot, controller: DeskController, person: Person, clock: ManualClock
) -> MainWindow:
    dialog = controller.login_dialog
    assert dialog is not None and dialog.isVisible()
    submit_login(
        qtbot,
        dialog,
        controller.worker,
        person.username,
        person.password,
        next_code(person.seed, clock),
    )
    window = controller.main_window
    assert window is not None, dialog.message
    qtbot.waitExposed(window)
    return window


def test_first_run_goes_from_wizard_to_login_then_main_window(
    qtbot: QtBot, desk: Desk, clock: ManualClock, make_controller: MakeController
) -> None:
    controller = make_controller(desk)
    controller.start()
    wizard = controller.wizard
    assert wizard is not None and wizard.isVisible()
    assert controller.login_dialog is None

    page = wizard.account_page.ui
    type_into(qtbot, page.displayNameEdit, "Ada Admin")
    type_into(qtbot, page.passwordEdit, ADMIN_PASSWORD)
    type_into(qtbot, page.confirmEdit, ADMIN_PASSWORD)
    wizard.next()
    seed = wizard.enrolment_page.ui.seedLabel.text().replace(" ", "")
    wizard.next()
    code = current_code(seed, clock)
    type_into(qtbot, wizard.code_page.ui.codeEdit, code)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)

    dialog = controller.login_dialog
    assert dialog is not None and dialog.isVisible()
    assert not wizard.isVisible()
    assert dialog.ui.usernameEdit.text() == "admin"
    assert "wait for your authenticator to show a new code" in dialog.message
    assert not desk.accounts.first_run_needed()

    # the code used in the wizard cannot be used again...
    submit_login(qtbot, dialog, controller.worker, "admin", ADMIN_PASSWORD, code)
    assert dialog.message == SignInFailed().message
    assert controller.main_window is None
    # ...the next one can
    admin = Person("admin", ADMIN_PASSWORD, seed, Role.ADMINISTRATOR)
    window = sign_in(qtbot, controller, admin, clock)
    assert window.status_text.startswith("admin (administrator)")


def test_a_profile_with_accounts_starts_at_login(
    staffed: Staffed, make_controller: MakeController
) -> None:
    controller = make_controller(staffed.desk)
    controller.start()
    assert controller.wizard is None
    assert controller.login_dialog is not None and controller.login_dialog.isVisible()


def test_sign_out_returns_to_the_login_dialog(
    qtbot: QtBot, staffed: Staffed, make_controller: MakeController
) -> None:
    controller = make_controller(staffed.desk)
    controller.start()
    window = sign_in(qtbot, controller, staffed.operator, staffed.clock)
    token = window.token
    window.ui.actionSignOut.trigger()
    assert controller.main_window is None
    assert not window.isVisible()
    assert controller.login_dialog is not None and controller.login_dialog.isVisible()
    assert controller.login_dialog.message == ""
    with pytest.raises(SessionEnded):
        staffed.desk.signin.authorize(token)


def test_quit_signs_out_and_asks_to_quit(
    qtbot: QtBot, staffed: Staffed, make_controller: MakeController
) -> None:
    controller = make_controller(staffed.desk)
    controller.start()
    window = sign_in(qtbot, controller, staffed.operator, staffed.clock)
    token = window.token
    with qtbot.waitSignal(controller.quit_requested, timeout=1_000):
        window.ui.actionQuit.trigger()
    with pytest.raises(SessionEnded):
        staffed.desk.signin.authorize(token)


def test_closing_the_login_dialog_asks_to_quit(
    qtbot: QtBot, staffed: Staffed, make_controller: MakeController
) -> None:
    controller = make_controller(staffed.desk)
    controller.start()
    assert controller.login_dialog is not None
    with qtbot.waitSignal(controller.quit_requested, timeout=1_000):
        qtbot.mouseClick(controller.login_dialog.ui.quitButton, Qt.MouseButton.LeftButton)


def test_a_disabled_person_goes_back_to_login_on_their_next_action(
    qtbot: QtBot, staffed: Staffed, make_controller: MakeController
) -> None:
    desk = staffed.desk
    enrol = desk.accounts.add_user(
        staffed.admin_token, "sup", "Sam Super", Role.SUPERVISOR, "supervisor pass 2026"
    )
    sup = Person("sup", "supervisor pass 2026", enrol.seed, Role.SUPERVISOR)
    controller = make_controller(desk)
    controller.start()
    window = sign_in(qtbot, controller, sup, staffed.clock)

    desk.accounts.disable(staffed.admin_token, "sup")
    with qtbot.waitSignal(window.signed_out, timeout=5_000):
        window.ui.actionSigninActivity.trigger()

    assert controller.main_window is None
    assert not window.isVisible()
    dialog = controller.login_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.message == "Your account has been disabled: your session has ended."
    assert dialog.ui.usernameEdit.text() == "sup"


def test_the_session_check_notices_a_disabled_person_without_any_action(
    qtbot: QtBot, staffed: Staffed, make_controller: MakeController
) -> None:
    controller = make_controller(staffed.desk, heartbeat_ms=50)
    controller.start()
    sign_in(qtbot, controller, staffed.operator, staffed.clock)
    staffed.desk.accounts.disable(staffed.admin_token, staffed.operator.username)
    qtbot.waitUntil(lambda: controller.main_window is None, timeout=3_000)
    assert controller.login_dialog is not None
    assert "disabled" in controller.login_dialog.message


def test_failed_attempts_since_the_last_sign_in_are_told_to_the_person(
    qtbot: QtBot, staffed: Staffed, make_controller: MakeController
) -> None:
    op = staffed.operator
    staffed.sign_in(op)  # an earlier sign-in
    previous = staffed.clock.now()
    for _ in range(3):
        with pytest.raises(SignInFailed):
            staffed.desk.signin.sign_in(op.username, "someone guessing 1", "123456")
    controller = make_controller(staffed.desk)
    controller.start()
    window = sign_in(qtbot, controller, op, staffed.clock)
    notices = [b for b in window.findChildren(QMessageBox) if b.objectName() == "signinNotice"]
    assert len(notices) == 1 and notices[0].isVisible()
    assert notices[0].text() == (
        "3 failed sign-in attempts on your account since your last sign-in "
        f"(last sign-in: {local_time(previous)}). If that was not you, tell your supervisor."
    )


def test_no_notice_after_a_clean_sign_in(
    qtbot: QtBot, staffed: Staffed, make_controller: MakeController
) -> None:
    controller = make_controller(staffed.desk)
    controller.start()
    window = sign_in(qtbot, controller, staffed.operator, staffed.clock)
    assert window.findChildren(QMessageBox) == []
