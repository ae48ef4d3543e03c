"""The first-run wizard: checks as you type, the enrolment, and a code before it finishes."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from desk.core.clock import ManualClock
from desk.core.roles import Role
from desk.gui.setup_wizard import SetupWizard
from desk.services.desk import Desk
from tests.conftest import ADMIN_PASSWORD, current_code
from tests.gui.conftest import type_into


def open_wizard(qtbot: QtBot, desk: Desk) -> SetupWizard:
    wizard = SetupWizard(desk.accounts)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def next_button(wizard: SetupWizard):
    return wizard.button(QWizard.WizardButton.NextButton)


def fill_account(qtbot: QtBot, wizard: SetupWizard, password: str = ADMIN_PASSWORD) -> None:
    page = wizard.account_page.ui
    type_into(qtbot, page.displayNameEdit, "Ada Admin")
    type_into(qtbot, page.passwordEdit, password)
    type_into(qtbot, page.confirmEdit, password)


def to_code_page(qtbot: QtBot, wizard: SetupWizard) -> str:
    fill_account(qtbot, wizard)
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    seed = wizard.enrolment_page.ui.seedLabel.text().replace(" ", "")
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.code_page
    return seed


def test_a_too_short_password_blocks_next_with_the_message(qtbot: QtBot, desk: Desk) -> None:
    wizard = open_wizard(qtbot, desk)
    page = wizard.account_page.ui
    assert page.usernameEdit.text() == "admin"
    assert not next_button(wizard).isEnabled()  # nothing typed yet

    fill_account(qtbot, wizard, password="short one")
    assert "at least 12 characters" in page.messageLabel.text()
    assert page.messageLabel.isVisible()
    assert not next_button(wizard).isEnabled()

    fill_account(qtbot, wizard)
    assert page.messageLabel.text() == ""
    assert next_button(wizard).isEnabled()

    type_into(qtbot, page.confirmEdit, ADMIN_PASSWORD + "x")
    assert "different" in page.messageLabel.text()
    assert not next_button(wizard).isEnabled()


def test_a_bad_username_blocks_next_with_the_message(qtbot: QtBot, desk: Desk) -> None:
    wizard = open_wizard(qtbot, desk)
    fill_account(qtbot, wizard)
    type_into(qtbot, wizard.account_page.ui.usernameEdit, "9 lives")
    assert "is not valid" in wizard.account_page.ui.messageLabel.text()
    assert not next_button(wizard).isEnabled()


def test_the_enrolment_page_shows_a_qr_code_the_key_and_the_link(qtbot: QtBot, desk: Desk) -> None:
    wizard = open_wizard(qtbot, desk)
    fill_account(qtbot, wizard)
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    page = wizard.enrolment_page.ui
    assert wizard.currentPage() is wizard.enrolment_page

    pixmap = page.qrLabel.pixmap()
    assert not pixmap.isNull()
    assert pixmap.width() >= 200 and pixmap.width() == pixmap.height()
    image = pixmap.toImage()
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 3)
        for y in (image.height() // 2,)
    }
    assert {"#000000", "#ffffff"} <= colours  # a drawn code, not a blank square

    groups = page.seedLabel.text().split(" ")
    assert all(len(g) == 4 for g in groups) and len(groups) == 8
    seed = "".join(groups)
    assert page.uriEdit.text().startswith("otpauth://totp/")
    assert f"secret={seed}" in page.uriEdit.text()
    assert "admin" in page.accountLabel.text()

    # going back and forth with the same username keeps the key already scanned
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.BackButton), Qt.MouseButton.LeftButton)
    qtbot.mouseClick(next_button(wizard), Qt.MouseButton.LeftButton)
    assert page.seedLabel.text().replace(" ", "") == seed


def test_a_wrong_code_keeps_the_wizard_open_with_the_message(
    qtbot: QtBot, desk: Desk, clock: ManualClock
) -> None:
    wizard = open_wizard(qtbot, desk)
    seed = to_code_page(qtbot, wizard)
    good = current_code(seed, clock)
    wrong = f"{(int(good) + 500_000) % 1_000_000:06d}"
    type_into(qtbot, wizard.code_page.ui.codeEdit, wrong)
    with qtbot.assertNotEmitted(wizard.admin_created):
        qtbot.mouseClick(
            wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton
        )
    assert wizard.isVisible()
    assert wizard.currentPage() is wizard.code_page
    assert "does not match" in wizard.code_page.ui.messageLabel.text()
    assert desk.accounts.first_run_needed()


def test_the_right_code_finishes_and_the_account_exists(
    qtbot: QtBot, desk: Desk, clock: ManualClock
) -> None:
    wizard = open_wizard(qtbot, desk)
    seed = to_code_page(qtbot, wizard)
    type_into(qtbot, wizard.code_page.ui.codeEdit, current_code(seed, clock))
    with qtbot.waitSignal(wizard.admin_created) as created:
        qtbot.mouseClick(
            wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton
        )
    assert created.args == ["admin"]
    assert not wizard.isVisible()
    assert wizard.result() == QWizard.DialogCode.Accepted
    assert not desk.accounts.first_run_needed()

    clock.advance(seconds=30)
    result = desk.signin.sign_in("admin", ADMIN_PASSWORD, current_code(seed, clock))
    assert result.actor.role is Role.ADMINISTRATOR
    assert result.actor.display_name == "Ada Admin"
