"""Admin → Third-party apps…: the register in the window, its dialogs, and its fit."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desk.core.items import Platform
from desk.core.roles import Role
from desk.core.third_party_apps import AppAccess
from desk.gui.app_dialogs import AppEntryDialog, AppReviewDialog, AppRevokeDialog
from desk.gui.apps_window import COL_ACCOUNTS, COL_APP, COL_REVIEW, OVERDUE_COLOUR, AppsWindow
from desk.gui.main_window import MainWindow
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.gui.conftest import settle, type_into
from tests.gui.layout_check import clipped
from tests.gui.queue_fixtures import MakeWindow

SIZES = ((1280, 800), (1366, 768), (1920, 1080))
WHY = "Schedules the overnight appeals when the desk is not staffed"


@pytest.fixture
def comms(staffed: Staffed) -> Person:
    """A communications officer, two official accounts and two apps (one overdue)."""
    d, token = staffed.desk, staffed.admin_token
    cat = d.accounts.add_user(token, "cjones", "Cat Jones", Role.COMMUNICATIONS, USER_PASSWORD)
    x = d.official_accounts.add(token, Platform.X, "@ExampleshirePolice").id
    fb = d.official_accounts.add(token, Platform.FACEBOOK, "Exampleshire Police").id
    d.third_party_apps.add(
        token, "Hootsuite", [x, fb], [AppAccess.READ, AppAccess.PUBLISH], WHY, "cjones",
        approved_on=date(2026, 6, 1),
    )  # fmt: skip
    d.third_party_apps.add(
        token, "Brandwatch", [fb], [AppAccess.READ], "Finds the mentions we are not tagged in",
        "cjones",
    )  # fmt: skip
    return Person("cjones", USER_PASSWORD, cat.seed, Role.COMMUNICATIONS)


def _fits(qtbot: QtBot, window: MainWindow, dialog: QDialog) -> None:
    for width, height in SIZES:
        window.resize(width, height)
        dialog.resize(min(dialog.width(), width - 40), min(dialog.height(), height - 60))
        qtbot.wait(30)
        assert clipped(dialog) == [], (width, height)


def _open(qtbot: QtBot, make_window: MakeWindow, person: Person) -> tuple[MainWindow, AppsWindow]:
    window, _token = make_window(person)
    assert window.apps.action.isEnabled()
    window.apps.action.trigger()
    settle(qtbot, window)
    register = window.shell.dialog
    assert isinstance(register, AppsWindow)
    return window, register


def _row(register: AppsWindow, name: str) -> int:
    return next(
        r
        for r in range(register.table.rowCount())
        if register.table.item(r, COL_APP).text().startswith(name)
    )


def test_the_register_shows_an_overdue_review_in_bold_colour_and_words(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, comms: Person
) -> None:
    window, register = _open(qtbot, make_window, comms)
    assert register.table.rowCount() == 2
    hoot = _row(register, "Hootsuite")
    due = register.table.item(hoot, COL_REVIEW)
    assert due.text() == "30 Aug 2026 — OVERDUE"
    assert due.font().bold() and due.foreground().color() == OVERDUE_COLOUR
    accounts = register.table.item(hoot, COL_ACCOUNTS).text()
    assert accounts == "Exampleshire Police on facebook, @ExampleshirePolice on x"
    later = register.table.item(_row(register, "Brandwatch"), COL_REVIEW)
    assert later.text() == "24 Feb 2027" and not later.font().bold()
    assert register.status_label.text() == "2 apps with access. 1 overdue for review."
    register.table.selectRow(hoot)
    assert f"Why critically necessary: {WHY}" in register.details_label.text()
    assert register.review_button.isEnabled() and register.revoke_button.isEnabled()
    _fits(qtbot, window, register)


def test_add_refused_then_recorded_review_and_revoke_through_the_dialogs(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, comms: Person
) -> None:
    window, register = _open(qtbot, make_window, comms)
    qtbot.mouseClick(register.add_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    entry = window.apps.entry_dialog
    assert isinstance(entry, AppEntryDialog) and entry.isVisible()
    assert not entry.ok_button.isEnabled()  # nothing typed yet
    type_into(qtbot, entry.name_edit, "Sprout Social")
    entry.accounts_list.item(0).setCheckState(Qt.CheckState.Checked)
    entry.access_boxes[AppAccess.MESSAGES].setChecked(True)
    entry.necessity_edit.setPlainText("handy")
    assert entry.approver_combo.currentData() == "cjones"
    qtbot.mouseClick(entry.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert entry.isVisible() and "in a sentence" in entry.message_label.text()
    assert register.table.rowCount() == 2  # nothing recorded
    entry.necessity_edit.setPlainText("Answers private messages out of hours")
    _fits(qtbot, window, entry)
    qtbot.mouseClick(entry.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert not entry.isVisible()
    assert register.table.rowCount() == 3
    assert register.status_label.text().startswith("Recorded Sprout Social (APP-3)")
    assert register.selected() is not None and register.selected().name == "Sprout Social"

    register.table.selectRow(_row(register, "Hootsuite"))
    qtbot.mouseClick(register.review_button, Qt.MouseButton.LeftButton)
    review = window.apps.review_dialog
    assert isinstance(review, AppReviewDialog) and review.isVisible()
    review.note_edit.setPlainText("Still schedules overnight appeals")
    _fits(qtbot, window, review)
    qtbot.mouseClick(review.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    due = register.table.item(_row(register, "Hootsuite"), COL_REVIEW)
    assert due.text() == "24 Feb 2027" and not due.font().bold()
    assert "Last reviewed 26 Nov 2026 by cjones: Still schedules" in register.details_label.text()

    qtbot.mouseClick(register.revoke_button, Qt.MouseButton.LeftButton)
    revoke = window.apps.revoke_dialog
    assert isinstance(revoke, AppRevokeDialog) and not revoke.ok_button.isEnabled()
    revoke.reason_edit.setPlainText("Replaced by the management platform")
    _fits(qtbot, window, revoke)
    qtbot.mouseClick(revoke.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert register.table.rowCount() == 2
    assert register.status_label.text() == "Recorded that Hootsuite (APP-1) was revoked."
    register.show_revoked.setChecked(True)
    settle(qtbot, window)
    gone = _row(register, "Hootsuite")
    assert register.table.item(gone, COL_REVIEW).text() == "Revoked 26 Nov 2026"
    register.table.selectRow(gone)
    assert not register.review_button.isEnabled()
    actions = [e.action for e in staffed.desk.audit.entries(staffed.admin_token, limit=20)]
    assert {"third_party_app.add", "third_party_app.review", "third_party_app.revoke"} <= set(
        actions
    )


def test_an_operator_cannot_open_the_register(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    assert not window.apps.action.isEnabled()
    assert "does not include this" in window.apps.action.toolTip()
