"""The impersonation watch in the window: a look-alike author marked in the queue and the case
pane, and Supervisor → Suspected fake accounts… from flag to report, outcome and reminder."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel
from pytestqt.qtbot import QtBot

from desk.core.impersonation import DEFAULT_REPORT_DAYS, Outcome
from desk.core.items import Platform
from desk.core.roles import Role
from desk.gui.main_window import MainWindow
from desk.gui.queue_cells import COL_AUTHOR, LOOKALIKE_MARK
from desk.gui.suspect_dialogs import OutcomeDialog, ReportDialog, SuspectDialog
from desk.gui.suspects_window import COL_OUTCOME, COL_REFERENCE, SuspectsWindow
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.gui.conftest import activate, settle, type_into
from tests.gui.keys_check import mnemonics
from tests.gui.layout_check import clipped
from tests.gui.queue_fixtures import MakeWindow, fill_queue, wait_ready
from tests.services.helpers import item

FAKE = "@Ex\u0430mpleshirePolice"  # a Cyrillic "а" for the Latin "a"
SIZES = ((1280, 800), (1366, 768), (1920, 1080))


def supervisor(staffed: Staffed) -> Person:
    made = staffed.desk.accounts.add_user(
        staffed.admin_token, "sue", "Sue Super", Role.SUPERVISOR, USER_PASSWORD
    )
    return Person("sue", USER_PASSWORD, made.seed, Role.SUPERVISOR)


@pytest.fixture
def flagged(staffed: Staffed) -> Staffed:
    """The queue's cases, one of them from an author who looks like @ExampleshirePolice."""
    fill_queue(staffed)
    staffed.desk.importer.store(
        staffed.admin_token,
        [item("f1", "Follow us for updates", author="f1", handle=FAKE, thread=None, minutes=7)],
        "fake",
    )
    staffed.desk.impersonation.scan(staffed.admin_token)
    return staffed


def open_suspects(qtbot: QtBot, window: MainWindow) -> SuspectsWindow:
    window.suspects.action.trigger()
    settle(qtbot, window)
    shown = window.shell.dialog
    assert isinstance(shown, SuspectsWindow)
    qtbot.waitExposed(shown)
    return shown


def fits(qtbot: QtBot, window: MainWindow, dialog: QDialog) -> None:
    for width, height in SIZES:
        window.resize(width, height)
        dialog.resize(min(dialog.width(), width - 40), min(dialog.height(), height - 60))
        qtbot.wait(30)
        assert dialog.width() <= width and dialog.height() <= height
        assert clipped(dialog) == [], (width, height)


def test_a_look_alike_author_is_marked_in_the_queue_and_the_case_pane(
    qtbot: QtBot, make_window: MakeWindow, flagged: Staffed
) -> None:
    window, _token = make_window(flagged.operator)
    wait_ready(qtbot, window)
    model = window.queue.model
    rows = {
        model.index(r, COL_AUTHOR).data(): r
        for r in range(model.rowCount())
        if model.index(r, COL_AUTHOR).data()
    }
    marked = [text for text in rows if text.startswith(LOOKALIKE_MARK)]
    assert marked == [f"{LOOKALIKE_MARK} {FAKE}"]  # only the look-alike, not @cat or @gus
    fake_row = rows[marked[0]]
    cell = model.index(fake_row, COL_AUTHOR)
    tip = cell.data(Qt.ItemDataRole.ToolTipRole)
    assert "Looks like @ExampleshirePolice: Cyrillic look-alike" in tip
    assert cell.data(Qt.ItemDataRole.FontRole).bold()
    spoken = cell.data(Qt.ItemDataRole.AccessibleTextRole)
    assert spoken.startswith(f"{FAKE}, Looks like @ExampleshirePolice")
    pane = window.ui.casePane
    window.ui.queueTable.selectRow(fake_row)
    wait_ready(qtbot, window)
    assert pane.lookalike_label.isVisibleTo(window)
    assert pane.lookalike_label.text().startswith(
        f"{LOOKALIKE_MARK} Looks like @ExampleshirePolice: Cyrillic look-alike ('\u0430' (U+0430) for 'a')"
    )
    other = rows["@cat"]
    window.ui.queueTable.selectRow(other)
    wait_ready(qtbot, window)
    assert not pane.lookalike_label.isVisibleTo(window)


def test_a_flagged_author_is_added_reported_and_removed(
    qtbot: QtBot, make_window: MakeWindow, flagged: Staffed
) -> None:
    window, token = make_window(supervisor(flagged))
    suspects = open_suspects(qtbot, window)
    assert suspects.table.rowCount() == 0
    assert suspects.tabs.tabText(1) == "&Flagged authors (1)"
    suspects.tabs.setCurrentIndex(1)
    assert not suspects.suspect_button.isEnabled()
    suspects.flagged_table.selectRow(0)
    qtbot.mouseClick(suspects.suspect_button, Qt.MouseButton.LeftButton)
    dialog = window.suspects.dialog
    assert isinstance(dialog, SuspectDialog)
    assert dialog.handle_edit.text() == FAKE and dialog.author_id is not None
    assert dialog.platform_combo.currentData() == Platform.X.value
    type_into(qtbot, dialog.evidence.items_edit, "12, twelve")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and "'twelve' is not an item number" in dialog.message_label.text()
    dialog.evidence.items_edit.clear()
    dialog.evidence.links_edit.setPlainText("https://x.com/ExampleshirePolice_fake/status/1")
    dialog.evidence.note_edit.setPlainText("Copies our logo and asks for donations.")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert not dialog.isVisible()
    assert suspects.table.rowCount() == 1
    assert suspects.table.item(0, COL_OUTCOME).text() == "Not reported yet"
    assert f"Added {FAKE} (#1): report it to the platform." in suspects.status_label.text()
    suspects.tabs.setCurrentIndex(0)
    suspects.table.selectRow(0)
    assert "Copies our logo" in suspects.details_label.text()
    assert not suspects.outcome_button.isEnabled()  # not reported yet
    qtbot.mouseClick(suspects.report_button, Qt.MouseButton.LeftButton)
    report = window.suspects.dialog
    assert isinstance(report, ReportDialog)
    qtbot.mouseClick(report.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert report.isVisible() and "reference" in report.message_label.text()
    type_into(qtbot, report.reference_edit, "X-IMP-4471")
    qtbot.mouseClick(report.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert not report.isVisible()
    assert suspects.table.item(0, COL_REFERENCE).text() == "X-IMP-4471"
    assert suspects.table.item(0, COL_OUTCOME).text() == "Waiting for the platform"
    assert suspects.outcome_button.isEnabled()
    qtbot.mouseClick(suspects.outcome_button, Qt.MouseButton.LeftButton)
    outcome = window.suspects.dialog
    assert isinstance(outcome, OutcomeDialog)
    qtbot.mouseClick(outcome.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert not outcome.isVisible()
    assert suspects.table.rowCount() == 0  # removed: no longer open
    suspects.show_closed.setChecked(True)
    settle(qtbot, window)
    assert suspects.table.item(0, COL_OUTCOME).text().startswith("Removed")
    (view,) = flagged.desk.impersonation.suspects(token)
    assert view.outcome is Outcome.REMOVED and view.report_reference == "X-IMP-4471"


def test_a_report_without_an_outcome_is_a_reminder_that_stays(
    qtbot: QtBot, make_window: MakeWindow, flagged: Staffed
) -> None:
    sue = supervisor(flagged)
    suspect = flagged.desk.impersonation.add_suspect(
        flagged.sign_in(sue), Platform.X, FAKE, note="Asks for donations"
    )
    flagged.desk.impersonation.record_report(flagged.sign_in(sue), suspect.id, "X-IMP-9")
    flagged.clock.advance(days=DEFAULT_REPORT_DAYS + 1)
    window, _token = make_window(sue)
    settle(qtbot, window)
    waiting = [n.text for n in window.notices.waiting]
    assert any("reference X-IMP-9" in t and "has no outcome" in t for t in waiting), waiting
    window.suspects.poller.poll()  # the next poll does not say it again
    settle(qtbot, window)
    assert len([n for n in window.notices.waiting if "X-IMP-9" in n.text]) == 1
    suspects = open_suspects(qtbot, window)
    assert "X-IMP-9" in suspects.reminders_label.text()
    assert suspects.table.item(0, COL_OUTCOME).text() == "Waiting — OVERDUE"
    fits(qtbot, window, suspects)


def test_an_operator_adds_a_suspect_but_leaves_the_report_to_supervisors(
    qtbot: QtBot, make_window: MakeWindow, flagged: Staffed
) -> None:
    window, _token = make_window(flagged.operator)
    assert window.suspects.action.isEnabled()
    suspects = open_suspects(qtbot, window)
    assert suspects.add_button.isEnabled()
    qtbot.mouseClick(suspects.add_button, Qt.MouseButton.LeftButton)
    dialog = window.suspects.dialog
    assert isinstance(dialog, SuspectDialog) and dialog.author_id is None
    type_into(qtbot, dialog.handle_edit, "@Exampleshire_Police_Official")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert not dialog.isVisible()
    suspects.table.selectRow(0)
    assert suspects.evidence_button.isEnabled()
    assert not suspects.report_button.isEnabled() and not suspects.outcome_button.isEnabled()


def test_the_administrator_reads_the_register_but_does_not_keep_it(
    qtbot: QtBot, make_window: MakeWindow, flagged: Staffed
) -> None:
    window, _token = make_window(flagged.admin)
    suspects = open_suspects(qtbot, window)
    assert suspects.tabs.tabText(1) == "&Flagged authors (1)"
    assert not suspects.add_button.isEnabled()
    suspects.tabs.setCurrentIndex(1)
    suspects.flagged_table.selectRow(0)
    assert not suspects.suspect_button.isEnabled()


def test_the_suspect_dialogs_fit_each_workstation(
    qtbot: QtBot, make_window: MakeWindow, flagged: Staffed
) -> None:
    window, _token = make_window(supervisor(flagged))
    suspects = open_suspects(qtbot, window)
    fits(qtbot, window, suspects)
    suspects.add_button.click()
    dialog = window.suspects.dialog
    assert isinstance(dialog, SuspectDialog)
    qtbot.waitExposed(dialog)
    fits(qtbot, window, dialog)
    dialog.reject()


def test_every_key_in_the_fake_accounts_register_and_its_dialogs_is_used_once(
    qtbot: QtBot, make_window: MakeWindow, flagged: Staffed
) -> None:
    sue = supervisor(flagged)
    made = flagged.desk.impersonation.add_suspect(flagged.sign_in(sue), Platform.X, FAKE)
    flagged.desk.impersonation.record_report(flagged.sign_in(sue), made.id, "X-1")
    window, _token = make_window(sue)
    suspects = open_suspects(qtbot, window)
    suspects.table.selectRow(0)
    seen = [mnemonics(suspects)]
    for button in (
        suspects.add_button,
        suspects.evidence_button,
        suspects.report_button,
        suspects.outcome_button,
    ):
        button.click()
        dialog = window.suspects.dialog
        assert isinstance(dialog, QDialog)
        qtbot.waitExposed(dialog)
        seen.append(mnemonics(dialog))
        dialog.reject()
    for keys in seen:
        assert len(keys) == len(set(keys)), keys


def test_the_operator_adds_a_flagged_case_author_from_the_case_menu(
    qtbot: QtBot, make_window: MakeWindow, flagged: Staffed
) -> None:
    window, token = make_window(flagged.operator)
    wait_ready(qtbot, window)
    model = window.queue.model
    fake_row = next(
        r
        for r in range(model.rowCount())
        if str(model.index(r, COL_AUTHOR).data()).startswith(LOOKALIKE_MARK)
    )
    window.ui.queueTable.selectRow(fake_row)
    wait_ready(qtbot, window)
    assert window.suspects.action_from_case.isEnabled()
    activate(qtbot, window)
    window.ui.queueTable.setFocus()
    modifiers = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    qtbot.keyClick(window.ui.queueTable, Qt.Key.Key_F, modifiers)  # Ctrl+Shift+F
    dialog = window.shell.dialog
    assert isinstance(dialog, SuspectDialog)
    assert dialog.handle_edit.text() == FAKE
    intro = dialog.findChild(QLabel, "suspectIntroLabel")
    assert "Desk flagged this author: resembles @ExampleshirePolice" in intro.text()
    dialog.evidence.note_edit.setPlainText("Asks for fines to be paid through a link.")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert window.shell.dialog is None  # done: closed (and deleted)
    (view,) = flagged.desk.impersonation.suspects(token)
    assert view.handle == FAKE and view.author_id is not None
    assert view.resembles == "@ExampleshirePolice"
    assert f"Added {FAKE} (#{view.id})" in window.notices.history[0].text
