"""The login dialog against a real desk: success, the one generic failure, replays, demo code."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desk.core.clock import ManualClock
from desk.core.errors import SignInFailed
from desk.gui.login_dialog import LoginDialog
from desk.gui.workers import Worker
from desk.services import demo
from desk.services.desk import Desk
from desk.services.keyring_status import keyring_name
from tests.conftest import Staffed, current_code, next_code
from tests.gui.conftest import submit_login, type_into

GENERIC = SignInFailed().message


def open_dialog(qtbot: QtBot, desk: Desk, worker: Worker, **kwargs: object) -> LoginDialog:
    dialog = LoginDialog(desk, worker, **kwargs)  # type: ignore[arg-type]
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_correct_details_sign_in_and_close_the_dialog(
    qtbot: QtBot, staffed: Staffed, worker: Worker
) -> None:
    dialog = open_dialog(qtbot, staffed.desk, worker)
    op = staffed.operator
    type_into(qtbot, dialog.ui.usernameEdit, op.username)
    type_into(qtbot, dialog.ui.passwordEdit, op.password)
    code = next_code(op.seed, staffed.clock)
    type_into(qtbot, dialog.ui.codeEdit, f"{code[:3]} {code[3:]}")  # as the app shows it
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000) as signal:
        qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
        # the check runs off the GUI thread; meanwhile the button cannot be pressed again
        assert not dialog.ui.signInButton.isEnabled()
    result = signal.args[0]
    assert result.actor.username == "jsmith"
    assert staffed.desk.signin.authorize(result.token).username == "jsmith"
    assert not dialog.isVisible()
    assert dialog.ui.passwordEdit.text() == ""


def test_wrong_code_and_wrong_password_show_the_same_generic_message(
    qtbot: QtBot, staffed: Staffed, worker: Worker
) -> None:
    dialog = open_dialog(qtbot, staffed.desk, worker)
    op = staffed.operator
    good = next_code(op.seed, staffed.clock)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"

    submit_login(qtbot, dialog, worker, op.username, op.password, wrong)
    after_wrong_code = dialog.message
    assert after_wrong_code == GENERIC
    assert dialog.isVisible()
    assert dialog.ui.usernameEdit.text() == op.username  # kept
    assert dialog.ui.passwordEdit.text() == ""  # cleared
    assert dialog.ui.codeEdit.text() == ""  # cleared
    assert dialog.focusWidget() is dialog.ui.passwordEdit
    assert dialog.ui.signInButton.isEnabled()

    submit_login(qtbot, dialog, worker, op.username, "not the password at all", good)
    assert dialog.message == after_wrong_code
    # the message names no factor
    for word in ("code was", "password was", "wrong password", "wrong code"):
        assert word not in dialog.message.lower()


def test_unknown_user_gets_the_same_message(qtbot: QtBot, staffed: Staffed, worker: Worker) -> None:
    dialog = open_dialog(qtbot, staffed.desk, worker)
    submit_login(qtbot, dialog, worker, "nobody", "whatever password 1", "123456")
    assert dialog.message == GENERIC


def test_a_replayed_code_fails_in_the_dialog(
    qtbot: QtBot, staffed: Staffed, worker: Worker
) -> None:
    op = staffed.operator
    code = next_code(op.seed, staffed.clock)
    first = open_dialog(qtbot, staffed.desk, worker)
    with qtbot.waitSignal(first.signed_in, timeout=10_000):
        submit_login(qtbot, first, worker, op.username, op.password, code)

    second = open_dialog(qtbot, staffed.desk, worker)
    with qtbot.assertNotEmitted(second.signed_in):
        submit_login(qtbot, second, worker, op.username, op.password, code)
    assert second.message == GENERIC
    assert second.isVisible()


def test_title_and_footer_name_the_desk_profile_and_keyring(
    qtbot: QtBot, staffed: Staffed, worker: Worker
) -> None:
    dialog = open_dialog(qtbot, staffed.desk, worker)
    assert dialog.windowTitle() == "Desk — Digital desk"
    footer = dialog.ui.footerLabel.text()
    assert f"Profile: {staffed.desk.profile.name}" in footer
    assert f"Keyring: {keyring_name()}" in footer
    assert dialog.ui.passwordEdit.echoMode() == dialog.ui.passwordEdit.EchoMode.Password
    assert dialog.ui.signInButton.isDefault()


def test_code_field_takes_digits_and_spaces_only(
    qtbot: QtBot, staffed: Staffed, worker: Worker
) -> None:
    dialog = open_dialog(qtbot, staffed.desk, worker)
    qtbot.keyClicks(dialog.ui.codeEdit, "12a3 4x56")
    assert dialog.ui.codeEdit.text() == "123 456"


def test_a_demo_profile_shows_the_current_code_for_the_typed_user(
    qtbot: QtBot, desk: Desk, clock: ManualClock, worker: Worker
) -> None:
    logins = {login.username: login for login in demo.populate(desk)}
    dialog = open_dialog(qtbot, desk, worker, demo_tick_ms=20)
    label = dialog.ui.demoCodeLabel
    assert label.isVisible()
    assert "DEMO PROFILE" in label.text()

    type_into(qtbot, dialog.ui.usernameEdit, "demo-admin")
    code = current_code(logins["demo-admin"].seed, clock)
    assert label.text() == f"DEMO PROFILE — current code for demo-admin: {code[:3]} {code[3:]}"

    later = next_code(logins["demo-admin"].seed, clock)
    assert later != code
    qtbot.waitUntil(lambda: later[:3] + " " + later[3:] in label.text(), timeout=2_000)


def test_the_demo_code_can_be_used_to_sign_in(
    qtbot: QtBot, desk: Desk, clock: ManualClock, worker: Worker
) -> None:
    demo.populate(desk)
    dialog = open_dialog(qtbot, desk, worker)
    type_into(qtbot, dialog.ui.usernameEdit, "demo")
    shown = dialog.ui.demoCodeLabel.text().rsplit(": ", 1)[1]
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000):
        submit_login(qtbot, dialog, worker, "demo", demo.DEMO_PASSWORD, shown)


def test_a_real_profile_never_shows_a_code(qtbot: QtBot, staffed: Staffed, worker: Worker) -> None:
    dialog = open_dialog(qtbot, staffed.desk, worker, demo_tick_ms=20)
    type_into(qtbot, dialog.ui.usernameEdit, staffed.operator.username)
    qtbot.wait(60)
    assert not dialog.ui.demoCodeLabel.isVisible()
    assert dialog.ui.demoCodeLabel.text() == ""
    code = current_code(staffed.operator.seed, staffed.clock)
    assert code not in dialog.ui.demoCodeLabel.text().replace(" ", "")


def test_before_the_profile_is_open_the_person_types_but_cannot_sign_in_yet(
    qtbot: QtBot, desk: Desk, clock: ManualClock, worker: Worker
) -> None:
    logins = {login.username: login for login in demo.populate(desk)}
    dialog = LoginDialog(None, worker, profile_name=desk.profile.name, demo_tick_ms=20)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert not dialog.ready
    assert not dialog.ui.signInButton.isEnabled()
    assert dialog.ui.signInButton.text() == "Opening the desk…"
    assert "opening" in dialog.ui.footerLabel.text()
    type_into(qtbot, dialog.ui.usernameEdit, "demo-admin")
    assert dialog.ui.usernameEdit.text() == "demo-admin"
    assert not dialog.ui.demoCodeLabel.isVisible()

    dialog.set_desk(desk)  # the profile has opened
    assert dialog.ready and dialog.ui.signInButton.isEnabled()
    assert dialog.windowTitle() == "Desk — Digital desk"
    assert f"Keyring: {keyring_name()}" in dialog.ui.footerLabel.text()
    code = current_code(logins["demo-admin"].seed, clock)
    assert dialog.ui.demoCodeLabel.isVisible()
    assert dialog.ui.demoCodeLabel.text().endswith(f"{code[:3]} {code[3:]}")
    with qtbot.waitSignal(dialog.signed_in, timeout=10_000):
        submit_login(qtbot, dialog, worker, "demo-admin", demo.DEMO_PASSWORD, code)


def test_the_form_flags_set_by_value_are_qts_own(qtbot: QtBot, desk: Desk, worker: Worker) -> None:
    dialog = open_dialog(qtbot, desk, worker)
    ui = dialog.ui
    assert (
        ui.formLayout.labelAlignment()
        == Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
    )
    assert ui.codeEdit.inputMethodHints() == Qt.InputMethodHint.ImhDigitsOnly
    for label in (ui.demoCodeLabel, ui.messageLabel, ui.footerLabel):
        assert label.textInteractionFlags() == Qt.TextInteractionFlag.TextSelectableByMouse
