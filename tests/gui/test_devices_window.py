"""File → My devices…, Admin → Sessions… and Supervisor → Leaver review… in the window."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desk.core.roles import Role
from desk.gui.devices_dialog import COL_THIS, COL_WORKSTATION, DevicesDialog
from desk.gui.leaver_review_dialog import COL_ACTION, LeaverReviewDialog
from desk.gui.main_window import MainWindow
from desk.services.people import REASSIGN
from desk.services.signin import CLI
from tests.conftest import Person, Staffed, next_code
from tests.gui.conftest import settle, type_into
from tests.gui.layout_check import clipped
from tests.gui.queue_fixtures import MakeWindow

SGT_PASSWORD = "sergeant pass phrase 42"
SIZES = ((1280, 800), (1366, 768), (1920, 1080))


def _add(staffed: Staffed, username: str, role: Role) -> Person:
    enrolment = staffed.desk.accounts.add_user(
        staffed.admin_token, username, username.title(), role, SGT_PASSWORD
    )
    return Person(username, SGT_PASSWORD, enrolment.seed, role)


def _cli_session(staffed: Staffed, person: Person, workstation: str) -> str:
    code = next_code(person.seed, staffed.clock)
    d = staffed.desk
    return d.signin.sign_in(person.username, person.password, code, CLI, workstation).token


def _fits(qtbot: QtBot, window: MainWindow, dialog: QDialog) -> None:
    for width, height in SIZES:
        window.resize(width, height)
        dialog.resize(min(dialog.width(), width - 40), min(dialog.height(), height - 60))
        qtbot.wait(30)
        assert clipped(dialog) == [], (width, height)


def test_an_operator_signs_out_their_other_device_from_my_devices(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    other = _cli_session(staffed, staffed.operator, "laptop-jo")
    window, _token = make_window(staffed.operator)
    assert window.devices.action_devices.isEnabled()
    assert not window.devices.action_sessions.isEnabled()  # administrators only, and says why
    assert "does not include this" in window.devices.action_sessions.toolTip()
    window.devices.action_devices.trigger()
    settle(qtbot, window)
    dialog = window.shell.dialog
    assert isinstance(dialog, DevicesDialog)
    assert dialog.table.rowCount() == 2
    this = next(r for r in range(2) if dialog.table.item(r, COL_THIS).text())
    dialog.table.selectRow(this)
    assert not dialog.sign_out_button.isEnabled()  # not this window: File → Sign out
    laptop = next(
        r for r in range(2) if dialog.table.item(r, COL_WORKSTATION).text() == "laptop-jo"
    )
    dialog.table.selectRow(laptop)
    qtbot.mouseClick(dialog.sign_out_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert dialog.table.rowCount() == 1
    assert "Signed out jsmith's session on laptop-jo" in dialog.status_label.text()
    with pytest.raises(Exception, match="signed out from another device by jsmith"):
        staffed.desk.signin.authorize(other)
    _fits(qtbot, window, dialog)


def test_a_window_signed_out_by_an_administrator_goes_to_sign_in_saying_who(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    ended: list[str] = []
    window.signed_out.connect(ended.append)
    theirs = next(
        v for v in staffed.desk.devices.list_sessions(staffed.admin_token) if v.username == "jsmith"
    )
    staffed.desk.devices.sign_out_session(staffed.admin_token, theirs.id)
    staffed.clock.advance(seconds=31)
    window.devices.action_devices.trigger()  # the next call finds the session ended
    qtbot.waitUntil(lambda: bool(ended), timeout=10_000)
    assert "signed out from another device by admin" in ended[0]


def test_an_administrator_sees_everyones_sessions(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    _cli_session(staffed, staffed.operator, "laptop-jo")
    window, _token = make_window(staffed.admin)
    window.devices.action_sessions.trigger()
    settle(qtbot, window)
    dialog = window.shell.dialog
    assert isinstance(dialog, DevicesDialog) and dialog.everyone
    assert {v.username for v in dialog.sessions} == {"admin", "jsmith"}
    assert "sessions of 2 people" in dialog.status_label.text()
    _fits(qtbot, window, dialog)


def test_a_supervisor_is_reminded_reads_the_review_exports_it_and_records_it(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, tmp_path: Path
) -> None:
    sgt = _add(staffed, "sgt", Role.SUPERVISOR)
    _add(staffed, "kbrown", Role.OPERATOR)
    staffed.sign_in(staffed.operator)
    staffed.clock.advance(minutes=1)
    staffed.desk.people.disable(
        staffed.admin_token, "jsmith", cases=REASSIGN, to="kbrown", under_investigation=True
    )
    window, _token = make_window(sgt)
    settle(qtbot, window)
    waiting = [n.text for n in window.shell.notices.waiting]
    assert any("Leaver review waiting: Jo Smith (jsmith)" in text for text in waiting)
    assert window.devices.action_leavers.text().endswith("(1 waiting)")

    window.devices.action_leavers.trigger()
    settle(qtbot, window)
    dialog = window.shell.dialog
    assert isinstance(dialog, LeaverReviewDialog)
    assert dialog.waiting_list.count() == 1
    dialog.waiting_list.itemClicked.emit(dialog.waiting_list.item(0))
    settle(qtbot, window)
    assert dialog.table.item(0, COL_ACTION).text() == "signin.success"
    assert "waiting for a supervisor's review" in dialog.summary_label.text()
    dialog.export_to(tmp_path / "review.csv")
    rows = list(csv.reader((tmp_path / "review.csv").open(encoding="utf-8")))
    assert rows[0] == ["OFFICIAL-SENSITIVE"] and rows[2][1] == "signin.success"
    _fits(qtbot, window, dialog)

    type_into(qtbot, dialog.note_edit, "Nothing of concern.")
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert "Recorded your review of jsmith" in dialog.message_label.text()
    assert "Reviewed by sgt" in dialog.summary_label.text()
    assert dialog.waiting_list.count() == 0 and not dialog.record_button.isEnabled()
    assert window.devices.action_leavers.text() == "&Leaver review…"


def test_an_unknown_leaver_is_refused_inside_the_dialog(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    sgt = _add(staffed, "sgt", Role.SUPERVISOR)
    window, _token = make_window(sgt)
    dialog = window.devices.open_leaver_review()
    settle(qtbot, window)
    type_into(qtbot, dialog.username_edit, "jsmith")
    qtbot.mouseClick(dialog.show_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert "jsmith is not a leaver" in dialog.message_label.text()
    assert dialog.username_edit.text() == "jsmith"  # what was typed stays
