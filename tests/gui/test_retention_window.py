"""Supervisor → Retention review…: the waiting batch is said at sign-in, listed by class, a
ticked case is held back, approval and the run remove what is due; ended appeals are said."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desk.gui.main_window import MainWindow
from tests.gui.conftest import settle
from tests.services.test_retention import Desked, case, desked  # noqa: F401  (fixture)

Make = Callable[..., tuple[MainWindow, str]]
SHOTS = Path("/tmp/shots-retention")


def test_a_supervisor_is_told_reviews_approves_with_a_hold_and_runs(
    qtbot: QtBot,
    make_window: Make,
    desked: Desked,  # noqa: F811
) -> None:
    desked.staffed.clock.advance(days=2 * 365 + 1)
    window, _token = make_window(desked.sue)
    settle(qtbot, window)
    said = [n for n in window.shell.notices.history if "retention period" in n.text]
    assert said and said[0].to_do
    assert "4 records are past their retention period" in said[0].text

    review = window.retention.open_review()
    qtbot.waitUntil(lambda: review.due is not None, timeout=10_000)
    settle(qtbot, window)
    assert review.ui.dueTable.item(0, 0).text() == "Cases never actioned"
    assert review.ui.dueTable.item(0, 2).text() == "1"
    assert review.ui.dueTable.item(1, 1).text() == "2y anonymise"
    assert review.ui.casesList.count() == 2
    assert "4 records are due for review." in review.ui.retentionState.text()
    assert not review.ui.runButton.isEnabled()
    if SHOTS.parent.is_dir():
        SHOTS.mkdir(exist_ok=True)
        review.grab().save(str(SHOTS / "retention_review.png"))

    # hold back the replied (actioned) case, approve the rest
    for row in range(review.ui.casesList.count()):
        item = review.ui.casesList.item(row)
        if item.data(Qt.ItemDataRole.UserRole) == desked.replied:
            item.setCheckState(Qt.CheckState.Checked)
    qtbot.mouseClick(review.ui.approveButton, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: review.ui.runButton.isEnabled(), timeout=10_000)
    assert "approved by sue, waits to be run" in review.ui.retentionState.text()

    qtbot.mouseClick(review.ui.runButton, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: not review.ui.runButton.isEnabled(), timeout=10_000)
    assert any("ran: 3 records deleted" in n.text for n in window.shell.notices.history)
    assert case(desked, desked.quiet) is None
    kept = case(desked, desked.replied)
    assert kept is not None and kept.summary != "(anonymised)"
    review.close()


def test_an_ended_appeal_is_a_to_do_for_the_desk(
    qtbot: QtBot,
    make_window: Make,
    desked: Desked,  # noqa: F811
) -> None:
    d, clock = desked.staffed.desk, desked.staffed.clock
    jo = desked.staffed.sign_in(desked.staffed.operator)
    d.retention.mark_appeal(jo, desked.still_open, clock.now() + timedelta(days=1))
    clock.advance(days=2)
    window, _token = make_window(desked.staffed.operator)
    settle(qtbot, window)
    said = [n for n in window.shell.notices.history if "Public appeal" in n.text]
    assert said and said[0].to_do
    assert f"case #{desked.still_open} ended" in said[0].text


def test_a_case_is_held_and_released_and_an_ended_appeal_recorded_from_the_review(
    qtbot: QtBot,
    make_window: Make,
    desked: Desked,  # noqa: F811
) -> None:
    d, clock = desked.staffed.desk, desked.staffed.clock
    jo = desked.staffed.sign_in(desked.staffed.operator)
    appeal = d.retention.mark_appeal(jo, desked.still_open, clock.now() + timedelta(days=1))
    clock.advance(days=91)
    window, _token = make_window(desked.sue)
    settle(qtbot, window)
    review = window.retention.open_review()
    qtbot.waitUntil(lambda: review.due is not None, timeout=10_000)
    settle(qtbot, window)
    assert not review.ui.holdCaseButton.isEnabled()  # nothing chosen yet

    review.ui.casesList.setCurrentRow(0)
    qtbot.mouseClick(review.ui.holdCaseButton, Qt.MouseButton.LeftButton)
    dialog = window.shell.dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.ui.textEdit, "Civil claim: preserve")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: review.ui.holdsTable.rowCount() == 1, timeout=10_000)
    assert review.ui.holdsTable.item(0, 1).text() == f"case {desked.quiet}"
    assert review.ui.holdsTable.item(0, 4).text() == "Civil claim: preserve"
    assert review.ui.casesList.count() == 0  # held: out of the batch

    review.ui.holdsTable.selectRow(0)
    qtbot.mouseClick(review.ui.liftHoldButton, Qt.MouseButton.LeftButton)
    dialog = window.shell.dialog
    assert dialog is not None
    qtbot.keyClicks(dialog.ui.textEdit, "Claim withdrawn")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: review.ui.holdsTable.rowCount() == 0, timeout=10_000)
    assert review.ui.casesList.count() == 1

    assert review.ui.appealsTable.item(0, 0).text() == f"#{appeal.id}"
    review.ui.appealsTable.selectRow(0)
    qtbot.mouseClick(review.ui.appealRemovedButton, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    qtbot.waitUntil(
        lambda: review.ui.appealsTable.item(0, 3).text().startswith("removed by sue"),
        timeout=10_000,
    )
    assert d.retention.appeals(desked.sue_token())[0].done_by == "sue"
    review.close()
