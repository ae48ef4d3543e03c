"""Admin → Official accounts…: the register, requests and approvals, the review checklist,
the public list, in the window."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desk.core.account_register import CHECKLIST, CheckResult, ReviewCheck
from desk.core.items import Platform
from desk.core.roles import Role
from desk.core.subject_access import local_day
from desk.gui.account_dialogs import AccountEntryDialog, ExportDialog, ReasonDialog
from desk.gui.account_texts import (
    COL_ACCOUNT,
    COL_CREDENTIALS,
    COL_DUE,
    COL_LAST_REVIEW,
    COL_TWO_FACTOR,
    REQ_STATE,
)
from desk.gui.accounts_window import AccountsWindow
from desk.gui.main_window import MainWindow
from desk.gui.review_dialog import ReviewDialog
from desk.services.official_accounts import RegisterDetails
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.gui.conftest import settle, type_into
from tests.gui.keys_check import mnemonics
from tests.gui.layout_check import clipped
from tests.gui.queue_fixtures import MakeWindow, add_accounts
from tests.html_check import parse_strict

SIZES = ((1280, 800), (1366, 768), (1920, 1080))


def comms_person(staffed: Staffed) -> Person:
    made = staffed.desk.accounts.add_user(
        staffed.admin_token, "cjones", "Cat Jones", Role.COMMUNICATIONS, USER_PASSWORD
    )
    return Person("cjones", USER_PASSWORD, made.seed, Role.COMMUNICATIONS)


def open_register(qtbot: QtBot, window: MainWindow) -> AccountsWindow:
    window.official_accounts.action.trigger()
    settle(qtbot, window)
    shown = window.shell.dialog
    assert isinstance(shown, AccountsWindow)
    qtbot.waitExposed(shown)
    return shown


def row_of(register: AccountsWindow, handle: str) -> int:
    return next(r for r, e in enumerate(register.entries) if e.handle == handle)


def fits(qtbot: QtBot, window: MainWindow, dialog: QDialog) -> None:
    for width, height in SIZES:
        window.resize(width, height)
        dialog.resize(min(dialog.width(), width - 40), min(dialog.height(), height - 60))
        qtbot.wait(30)
        assert dialog.width() <= width and dialog.height() <= height
        assert clipped(dialog) == [], (width, height)


@pytest.fixture
def admin_window(qtbot: QtBot, make_window: MakeWindow, staffed: Staffed) -> MainWindow:
    add_accounts(staffed)
    window, _token = make_window(staffed.admin)
    return window


def test_the_operator_may_not_open_the_register_and_is_told_why(
    make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    assert not window.official_accounts.action.isEnabled()
    assert "does not include this" in window.official_accounts.action.toolTip()


def test_an_administrator_enters_an_account_and_a_secret_is_refused_inside_the_dialog(
    qtbot: QtBot, admin_window: MainWindow, staffed: Staffed
) -> None:
    register = open_register(qtbot, admin_window)
    assert register.table.rowCount() == 2
    assert not register.change_button.isEnabled()  # nothing selected yet
    qtbot.mouseClick(register.add_button, Qt.MouseButton.LeftButton)
    dialog = admin_window.official_accounts.dialog
    assert isinstance(dialog, AccountEntryDialog)
    dialog.platform_combo.setCurrentIndex(dialog.platform_combo.findData("instagram"))
    type_into(qtbot, dialog.handle_edit, "@exampleshire_police")
    type_into(qtbot, dialog.name_edit, "Exampleshire Police")
    type_into(qtbot, dialog.link_edit, "https://instagram.com/exampleshire_police")
    type_into(qtbot, dialog.team_edit, "Corporate Communications")
    type_into(qtbot, dialog.admins_edit, "admin, Pat Lee")
    type_into(qtbot, dialog.credentials_edit, "password: Summer2026!")
    dialog.verified_check.setChecked(True)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, admin_window)
    assert dialog.isVisible()  # refused, what was typed kept
    assert "looks like a password" in dialog.message_label.text()
    assert dialog.handle_edit.text() == "@exampleshire_police"
    assert len(staffed.desk.official_accounts.list(staffed.admin_token)) == 2
    type_into(qtbot, dialog.credentials_edit, "Force password manager, vault Corporate Comms")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, admin_window)
    assert not dialog.isVisible()
    assert register.table.rowCount() == 3
    row = row_of(register, "@exampleshire_police")
    assert register.table.item(row, COL_ACCOUNT).text() == "@exampleshire_police · Instagram"
    assert register.table.item(row, COL_CREDENTIALS).text().startswith("Force password manager")
    two_factor = register.table.item(row, COL_TWO_FACTOR)
    assert two_factor.text() == "No" and two_factor.font().bold()  # 2FA off stands out
    assert "Entered @exampleshire_police" in register.status_label.text()
    register.table.selectRow(row)
    assert "Administrators: admin, Pat Lee" in register.details_label.text()
    assert "https://instagram.com/exampleshire_police" in register.details_label.text()
    actions = [e.action for e in staffed.desk.audit.entries(staffed.admin_token)]
    assert "official_account.add" in actions


def test_a_change_saves_only_what_changed(
    qtbot: QtBot, admin_window: MainWindow, staffed: Staffed
) -> None:
    register = open_register(qtbot, admin_window)
    register.table.selectRow(row_of(register, "@ExampleshirePolice"))
    qtbot.mouseClick(register.change_button, Qt.MouseButton.LeftButton)
    settle(qtbot, admin_window)
    dialog = admin_window.official_accounts.dialog
    assert isinstance(dialog, AccountEntryDialog) and dialog.mode == "change"
    assert not dialog.platform_combo.isEnabled() and dialog.handle_edit.isReadOnly()
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "Nothing was changed" in dialog.message_label.text()
    dialog.two_factor_check.setChecked(True)
    type_into(qtbot, dialog.area_edit, "Teignbridge")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, admin_window)
    assert not dialog.isVisible()
    (entry,) = [
        e
        for e in staffed.desk.official_accounts.register(staffed.admin_token)
        if e.handle == "@ExampleshirePolice"
    ]
    assert entry.two_factor and entry.area == "Teignbridge"
    (update,) = [
        e
        for e in staffed.desk.audit.entries(staffed.admin_token)
        if e.action == "official_account.update"
    ]
    assert set(json.loads(update.details)["after"]) == {"two_factor", "area"}
    row = row_of(register, "@ExampleshirePolice")
    assert register.table.item(row, COL_TWO_FACTOR).text() == "Yes"


def test_an_opening_is_asked_by_an_administrator_and_approved_by_communications(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    cat = comms_person(staffed)
    admin_window, _token = make_window(staffed.admin)
    register = open_register(qtbot, admin_window)
    assert not register.approve_button.isEnabled()
    qtbot.mouseClick(register.open_button, Qt.MouseButton.LeftButton)
    dialog = admin_window.official_accounts.dialog
    assert isinstance(dialog, AccountEntryDialog) and dialog.mode == "request"
    type_into(qtbot, dialog.handle_edit, "@TeignbridgePolice")
    type_into(qtbot, dialog.area_edit, "Teignbridge")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "Give the reason" not in dialog.message_label.text()
    settle(qtbot, admin_window)
    assert dialog.isVisible() and "reason" in dialog.message_label.text()  # the service says
    dialog.reason_edit.setPlainText("The neighbourhood team will run its own account.")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, admin_window)
    assert not dialog.isVisible()
    assert register.tabs.tabText(1) == "Re&quests (1 waiting)"
    register.requests_table.selectRow(0)
    assert not register.approve_button.isEnabled()  # administrators ask, communications decide
    register.reject()
    settle(qtbot, admin_window)

    comms_window, _token = make_window(cat)
    register = open_register(qtbot, comms_window)
    assert not register.add_button.isEnabled()  # communications do not enter accounts
    register.tabs.setCurrentIndex(1)
    register.requests_table.selectRow(0)
    assert "The neighbourhood team will run its own account." in register.request_label.text()
    assert register.requests_table.item(0, REQ_STATE).text() == "Waiting for communications"
    qtbot.mouseClick(register.approve_button, Qt.MouseButton.LeftButton)
    approve = comms_window.official_accounts.dialog
    assert isinstance(approve, ReasonDialog) and approve.day_edit is not None
    approve.text_edit.setPlainText("Agreed with the neighbourhood inspector.")
    qtbot.mouseClick(approve.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, comms_window)
    assert not approve.isVisible()
    assert register.requests_table.item(0, REQ_STATE).text() == "Approved"
    assert register.tabs.tabText(1) == "Re&quests"
    assert "@TeignbridgePolice" in [e.handle for e in register.entries]
    assert "is in the register" in register.status_label.text()


def test_a_review_with_a_failed_item_needs_its_action_then_sets_the_next_due_day(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    add_accounts(staffed)
    cat = comms_person(staffed)
    staffed.clock.advance(days=100)  # every account's first review is overdue now
    window, token = make_window(cat)
    register = open_register(qtbot, window)
    row = row_of(register, "@ExampleshirePolice")
    due = register.table.item(row, COL_DUE)
    assert due.text().endswith("OVERDUE") and due.font().bold()
    assert "2 overdue for a security review" in register.status_label.text()
    register.table.selectRow(row)
    qtbot.mouseClick(register.review_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    dialog = window.official_accounts.dialog
    assert isinstance(dialog, ReviewDialog)
    assert dialog.history_list.item(0).text() == "No earlier reviews."
    for check in CHECKLIST:
        assert check.label() in [w.text() for w in dialog.findChildren(type(dialog.progress_label))]
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "Answer every item first" in dialog.message_label.text()
    for check in CHECKLIST:
        dialog.answer(check, CheckResult.PASS)
    dialog.answer(ReviewCheck.APPS_CHECKED, CheckResult.FAIL)
    assert "1 failed" in dialog.progress_label.text()
    dialog.findings_edit.setPlainText("An old scheduling app still had publish access.")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert dialog.isVisible() and "apps_checked failed" in dialog.message_label.text()
    dialog.actions_edit.setPlainText("Revoke the scheduling app today (Cat).")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert not dialog.isVisible()
    today = local_day(staffed.clock.now())
    row = row_of(register, "@ExampleshirePolice")
    assert register.table.item(row, COL_LAST_REVIEW).text() == f"{today.day} {today:%b %Y}"
    due_day = today + timedelta(days=90)
    assert register.table.item(row, COL_DUE).text() == f"{due_day.day} {due_day:%b %Y}"
    assert "1 items failed" in register.status_label.text()
    (review,) = staffed.desk.account_reviews.history(token, register.entries[row].id)
    assert review.failed == (ReviewCheck.APPS_CHECKED,)
    assert review.actions == "Revoke the scheduling app today (Cat)."


def test_the_checklist_is_answered_with_the_keyboard(
    qtbot: QtBot, admin_window: MainWindow
) -> None:
    register = open_register(qtbot, admin_window)
    register.table.selectRow(0)
    register.review_button.click()
    settle(qtbot, admin_window)
    dialog = admin_window.official_accounts.dialog
    assert isinstance(dialog, ReviewDialog)
    first = dialog.radios[CHECKLIST[0]][CheckResult.PASS]
    first.setFocus()
    qtbot.keyClick(first, Qt.Key.Key_Space)
    assert dialog.results() == {CHECKLIST[0]: CheckResult.PASS}
    qtbot.keyClick(first, Qt.Key.Key_Right)  # arrows move within the item's answers
    assert dialog.results() == {CHECKLIST[0]: CheckResult.FAIL}
    fits(qtbot, admin_window, dialog)


@pytest.mark.parametrize("fmt", ["html", "csv"])
def test_the_public_list_is_saved_from_the_window(
    qtbot: QtBot, admin_window: MainWindow, staffed: Staffed, tmp_path: Path, fmt: str
) -> None:
    staffed.desk.settings.set(staffed.admin_token, "force_name", "Exampleshire Police")
    staffed.desk.official_accounts.add(
        staffed.admin_token,
        Platform.X,
        "@ExampleshireCID",
        "Exampleshire CID",
        details=RegisterDetails(purpose="investigations"),  # type: ignore[arg-type]
    )
    admin_window.official_accounts.export_folder = tmp_path
    register = open_register(qtbot, admin_window)
    qtbot.mouseClick(register.export_button, Qt.MouseButton.LeftButton)
    dialog = admin_window.official_accounts.dialog
    assert isinstance(dialog, ExportDialog)
    dialog.format_combo.setCurrentIndex(dialog.format_combo.findData(fmt))
    target = tmp_path / f"official-accounts.{fmt}"
    assert dialog.path_edit.text() == str(target)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, admin_window)
    assert not dialog.isVisible()
    assert f"Saved the public list (2 accounts) to {target}" in register.status_label.text()
    text = target.read_bytes().decode("utf-8")
    assert "@ExampleshireCID" not in text  # investigations accounts are never published
    if fmt == "html":
        html = parse_strict(text)
        (table,) = html.find_all("table")
        assert table.children[0].tag == "caption"
        assert "@ExampleshirePolice" in table.text
    else:
        assert "\r\n" in text and "@ExampleshirePolice" in text


def test_an_unwritable_place_is_refused_inside_the_export_dialog(
    qtbot: QtBot, admin_window: MainWindow, staffed: Staffed, tmp_path: Path
) -> None:
    staffed.desk.settings.set(staffed.admin_token, "force_name", "Exampleshire Police")
    register = open_register(qtbot, admin_window)
    register.export_button.click()
    dialog = admin_window.official_accounts.dialog
    assert isinstance(dialog, ExportDialog)
    dialog.path_edit.setText(str(tmp_path / "no such folder" / "list.html"))
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, admin_window)
    assert dialog.isVisible()
    assert "could not save the list" in dialog.message_label.text()


def test_the_register_and_its_dialogs_fit_each_workstation(
    qtbot: QtBot, admin_window: MainWindow
) -> None:
    register = open_register(qtbot, admin_window)
    fits(qtbot, admin_window, register)
    register.table.selectRow(0)
    for button in (register.add_button, register.open_button, register.close_button):
        button.click()
        settle(qtbot, admin_window)
        dialog = admin_window.official_accounts.dialog
        assert isinstance(dialog, QDialog)
        qtbot.waitExposed(dialog)
        fits(qtbot, admin_window, dialog)
        dialog.reject()


def test_every_key_in_the_register_and_its_dialogs_is_used_once(
    qtbot: QtBot, admin_window: MainWindow
) -> None:
    register = open_register(qtbot, admin_window)
    register.table.selectRow(0)
    seen = [mnemonics(register)]
    for button in (register.add_button, register.open_button, register.review_button):
        button.click()
        settle(qtbot, admin_window)
        dialog = admin_window.official_accounts.dialog
        assert isinstance(dialog, QDialog)
        qtbot.waitExposed(dialog)
        seen.append(mnemonics(dialog))
        dialog.reject()
    for keys in seen:
        assert len(keys) == len(set(keys)), keys
