"""Holds and appeals from the window: the Case menu marks a public appeal and holds the author's
records, the case pane says so, the retention review holds an author by handle and lists every
appeal with what was done about it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from pytestqt.qtbot import QtBot

from desk.core.retention import HoldTarget
from desk.gui.appeal_dialog import AppealDialog
from desk.gui.hold_dialogs import AuthorHoldDialog
from desk.gui.main_window import MainWindow
from tests.conftest import START
from tests.gui.conftest import settle
from tests.gui.queue_fixtures import wait_ready
from tests.gui.test_queue_window import press
from tests.services.test_retention import Desked, desked  # noqa: F401  (fixture)

Make = Callable[..., tuple[MainWindow, str]]
SHOTS = Path("/tmp/shots-h3")
LINK = "https://x.example/ExampleshirePolice/status/77"


def shoot(widget: object, name: str) -> None:
    """Save a picture of ``widget`` when the shots folder's parent exists (never in CI)."""
    if SHOTS.parent.is_dir() and hasattr(widget, "grab"):
        SHOTS.mkdir(exist_ok=True)
        widget.grab().save(str(SHOTS / f"{name}.png"))


CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def records_text(window: MainWindow) -> str:
    label = window.ui.casePane.records_label
    return label.text() if label.isVisible() else ""


def test_an_operator_marks_the_case_as_a_public_appeal_from_the_case_menu(
    qtbot: QtBot,
    make_window: Make,
    desked: Desked,  # noqa: F811
) -> None:
    window, _token = make_window(desked.staffed.operator)
    wait_ready(qtbot, window)
    assert window.queue.case_id == desked.still_open
    assert records_text(window) == ""  # nothing to say: no line at all
    action = window.retention.case_records.action_appeal
    assert action in window.ui.menuCase.actions() and action.isEnabled()

    assert action.shortcut().toString() == "Ctrl+Shift+A"
    press(qtbot, window, Qt.Key.Key_A, CTRL_SHIFT)  # keys only, as a person would
    qtbot.waitUntil(lambda: isinstance(window.shell.dialog, AppealDialog))
    dialog = window.shell.dialog
    today = START.astimezone().date()
    assert dialog.ui.endsEdit.minimumDate() == QDate(today.year, today.month, today.day)
    assert dialog.ends_on == today + timedelta(days=14)
    shoot(dialog, "appeal_dialog")
    dialog.ui.endsEdit.setDate(QDate(2026, 12, 14))
    qtbot.keyClicks(dialog.ui.noteEdit, LINK)
    qtbot.keyClick(dialog.ui.noteEdit, Qt.Key.Key_Return)  # Enter: the default button
    settle(qtbot, window)
    qtbot.waitUntil(lambda: "Public appeal until 14 Dec 2026" in records_text(window))
    assert LINK in records_text(window)
    assert window.shell.dialog is None
    assert "is a public appeal until 14 Dec 2026" in window.notice_text

    sue = desked.sue_token()
    [appeal] = desked.staffed.desk.retention.appeals(sue)
    assert appeal.case_id == desked.still_open and appeal.note == LINK
    assert appeal.ends_at.astimezone().date() == date(2026, 12, 14)
    assert appeal.marked_by == "jsmith"


def test_a_supervisor_holds_the_authors_records_from_the_case_pane(
    qtbot: QtBot,
    make_window: Make,
    desked: Desked,  # noqa: F811
) -> None:
    d, clock = desked.staffed.desk, desked.staffed.clock
    jo = desked.staffed.sign_in(desked.staffed.operator)
    d.retention.mark_appeal(jo, desked.still_open, clock.now() + timedelta(days=18), note=LINK)
    window, _token = make_window(desked.sue)
    wait_ready(qtbot, window)
    button = window.ui.casePane.findChild(object, "actionHoldAuthorButton")
    assert button is not None and button.isEnabled() and button.isVisible()

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.shell.dialog, AuthorHoldDialog))
    dialog = window.shell.dialog
    assert dialog.handle == "@waiting" and dialog.ui.handleEdit.isReadOnly()
    assert not dialog.ok_button.isEnabled()  # no reason yet
    qtbot.keyClicks(dialog.ui.reasonEdit, "Preservation order 44/2026")
    shoot(dialog, "author_hold_dialog")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: "Legal hold on this author" in records_text(window))
    day = START.astimezone().strftime("%d %b %Y")
    assert (
        f"Legal hold on this author: Preservation order 44/2026 — placed by sue on {day}"
        in records_text(window)
    )
    assert "Public appeal until 14 Dec 2026" in records_text(window)
    shoot(window, "case_pane_hold_appeal")
    [hold] = d.retention.holds(desked.sue_token())
    assert hold.target is HoldTarget.AUTHOR and hold.target_name == "@waiting (x)"

    # lifted in the retention review, with the reason: the pane's line goes
    review = window.retention.open_review()
    qtbot.waitUntil(lambda: review.ui.holdsTable.rowCount() == 1, timeout=10_000)
    settle(qtbot, window)
    assert review.ui.holdsTable.item(0, 1).text() == "author @waiting (x)"
    review.ui.holdsTable.selectRow(0)
    qtbot.mouseClick(review.ui.liftHoldButton, Qt.MouseButton.LeftButton)
    lift = window.shell.dialog
    qtbot.keyClicks(lift.ui.textEdit, "Order discharged")
    qtbot.mouseClick(lift.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: review.ui.holdsTable.rowCount() == 0, timeout=10_000)
    qtbot.waitUntil(lambda: "Legal hold" not in records_text(window), timeout=10_000)
    review.close()

    # a hold on the case itself (placed elsewhere) shows once the case is read again
    d.retention.add_hold(desked.sue_token(), "case", desked.still_open, "IOPC request 2026/123")
    window.ui.actionRefresh.trigger()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: "Legal hold: IOPC request 2026/123" in records_text(window))
    assert f"— placed by sue on {day}" in records_text(window)


def test_an_operator_may_not_hold_an_authors_records(
    qtbot: QtBot,
    make_window: Make,
    desked: Desked,  # noqa: F811
) -> None:
    window, _token = make_window(desked.staffed.operator)
    wait_ready(qtbot, window)
    action = window.retention.case_records.action_hold_author
    assert action.shortcut().toString() == "Ctrl+Shift+L"
    assert not action.isEnabled()
    assert "does not include this" in action.toolTip()
    button = window.ui.casePane.findChild(object, "actionHoldAuthorButton")
    assert button is not None and not button.isEnabled()


def test_the_review_holds_an_author_by_handle_and_lists_every_appeal(
    qtbot: QtBot,
    make_window: Make,
    desked: Desked,  # noqa: F811
) -> None:
    d, clock = desked.staffed.desk, desked.staffed.clock
    jo = desked.staffed.sign_in(desked.staffed.operator)
    ended = d.retention.mark_appeal(jo, desked.still_open, clock.now() + timedelta(days=1))
    running = d.retention.mark_appeal(
        jo, desked.still_open, clock.now() + timedelta(days=30), note=LINK
    )
    clock.advance(days=2)
    window, _token = make_window(desked.sue)
    settle(qtbot, window)
    review = window.retention.open_review()
    qtbot.waitUntil(lambda: review.ui.appealsTable.rowCount() == 2, timeout=10_000)
    settle(qtbot, window)
    table = review.ui.appealsTable
    assert [table.item(r, 0).text() for r in range(2)] == [f"#{ended.id}", f"#{running.id}"]
    assert table.item(0, 3).text() == "Ended: remove or archive it"
    assert table.item(1, 3).text() == "Running" and table.item(1, 5).text() == LINK

    # an author by handle: a wrong one is refused inside the dialog, nothing held
    qtbot.mouseClick(review.ui.holdAuthorButton, Qt.MouseButton.LeftButton)
    dialog = window.shell.dialog
    assert isinstance(dialog, AuthorHoldDialog) and not dialog.ui.handleEdit.isReadOnly()
    dialog.ui.platformCombo.setCurrentIndex(dialog.ui.platformCombo.findData("x"))
    qtbot.keyClicks(dialog.ui.handleEdit, "@nobody")
    qtbot.keyClicks(dialog.ui.reasonEdit, "Civil claim")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: "No author @nobody on x" in dialog.ui.messageLabel.text())
    assert window.shell.dialog is dialog and d.retention.holds(desked.sue_token()) == []
    dialog.ui.handleEdit.clear()
    qtbot.keyClicks(dialog.ui.handleEdit, "ASKER")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: review.ui.holdsTable.rowCount() == 1, timeout=10_000)
    assert review.ui.holdsTable.item(0, 1).text() == "author @asker (x)"
    assert review.ui.holdsTable.item(0, 4).text() == "Civil claim"
    shoot(review, "retention_review_holds_appeals")

    # the ended appeal recorded archived: it stays listed, saying so, and cannot be again
    table.selectRow(0)
    assert review.ui.appealArchivedButton.isEnabled()
    qtbot.mouseClick(review.ui.appealArchivedButton, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: table.item(0, 3).text().startswith("archived by sue"), timeout=10_000)
    table.selectRow(0)
    assert not review.ui.appealArchivedButton.isEnabled()
    review.close()
