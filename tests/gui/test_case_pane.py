"""The case pane and the queue at a workstation's size: what shows, where, and what is kept."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from desk.core.cases import Outcome
from desk.core.escalation import TargetKind, Urgency
from desk.gui.case_dialogs import CloseDialog
from desk.gui.main_window import MainWindow
from desk.gui.queue_cells import OVERDUE_MARK
from desk.gui.queue_model import COL_ACCOUNT, COL_STATUS, COL_TARGET, COL_TEXT
from desk.store.tables import Case
from tests.conftest import Staffed
from tests.gui.conftest import activate, settle, type_into
from tests.gui.queue_fixtures import MakeWindow, cell, fill_queue, wait_ready
from tests.gui.test_queue_window import THRIVE, claim_first, press, wait_case
from tests.services.helpers import item

SIZES = [(1280, 800), (1366, 768)]


@pytest.fixture
def window(qtbot: QtBot, make_window: MakeWindow, staffed: Staffed) -> MainWindow:
    """The operator's window over six cases at 1280x800."""
    fill_queue(staffed)
    made, _token = make_window(staffed.operator)
    made.resize(1280, 800)
    wait_ready(qtbot, made)
    activate(qtbot, made)
    made.queue.focus_queue()
    return made


def test_a_new_case_shows_from_the_top_of_the_pane(qtbot: QtBot, window: MainWindow) -> None:
    bar = window.ui.casePane.ui.caseScroll.verticalScrollBar()
    qtbot.waitUntil(lambda: bar.maximum() > 0)
    bar.setValue(bar.maximum())  # the operator scrolled down to the timeline
    first = window.queue.case_id
    press(qtbot, window, Qt.Key.Key_J)
    qtbot.waitUntil(lambda: window.queue.case_id != first)
    assert bar.value() == 0  # the next case's text and banner are in sight
    wait_case(qtbot, window, lambda d: d.row.case_id != first)
    assert bar.value() == 0


def test_the_timeline_shows_its_entries_without_blank_space(
    qtbot: QtBot, window: MainWindow
) -> None:
    claim_first(qtbot, window)
    timeline = window.ui.casePane.ui.timelineList
    qtbot.waitUntil(lambda: timeline.count() >= 2)
    qtbot.wait(50)  # laid out
    count = timeline.count()
    first = timeline.visualItemRect(timeline.item(0))
    newest = timeline.visualItemRect(timeline.item(count - 1))
    assert first.top() >= 0  # every entry shows, oldest first
    assert newest.bottom() <= timeline.viewport().height()
    assert timeline.viewport().height() - newest.bottom() < newest.height()  # no blank space


@pytest.mark.parametrize("size", SIZES, ids=["1280x800", "1366x768"])
def test_every_case_pane_button_shows_its_whole_text(
    qtbot: QtBot, window: MainWindow, size: tuple[int, int]
) -> None:
    window.resize(*size)
    qtbot.wait(100)
    pane = window.ui.casePane
    buttons = [b for b in pane.findChildren(QPushButton) if b.isVisibleTo(pane)]
    assert len(buttons) > 10
    for button in buttons:
        assert button.width() >= button.sizeHint().width(), button.text()
        assert button.geometry().right() <= button.parentWidget().width(), button.text()


def test_the_queue_gives_the_text_the_spare_width(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.wait(100)
    header = window.ui.queueTable.horizontalHeader()
    text = header.sectionSize(COL_TEXT)
    others = [header.sectionSize(c) for c in range(header.count()) if c != COL_TEXT]
    assert text > max(others)
    assert text >= 140


def test_accounts_show_a_short_name_and_rows_the_time_to_target(
    qtbot: QtBot, window: MainWindow, staffed: Staffed
) -> None:
    model = window.queue.model
    accounts = {cell(window, r, COL_ACCOUNT) for r in range(model.rowCount())}
    assert accounts == {"Police · X", "Police · Facebook"}
    tip = model.data(model.index(0, COL_ACCOUNT), Qt.ItemDataRole.ToolTipRole)
    assert tip == "@ExampleshirePolice on X"
    target = cell(window, 0, COL_TARGET)  # the P1: a 15-minute target
    assert re.fullmatch(r"\d+ min left", target), target
    staffed.clock.advance(minutes=30)
    model.tick()
    assert re.fullmatch(r"\d+ min over", cell(window, 0, COL_TARGET))


def test_the_status_column_shows_the_overdue_flag_whole(window: MainWindow) -> None:
    model = window.queue.model
    case_id = window.queue.case_id
    assert case_id is not None
    model.set_flagged(frozenset({case_id}))
    shown = cell(window, 0, COL_STATUS)
    assert shown == f"{OVERDUE_MARK} New"
    bold = window.ui.queueTable.font()
    bold.setBold(True)
    width = window.ui.queueTable.horizontalHeader().sectionSize(COL_STATUS)
    assert width >= QFontMetrics(bold).horizontalAdvance(f"{OVERDUE_MARK} Escalated") + 8


def test_unsaved_thrive_and_an_open_note_are_named_before_signing_out(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.shell.unsaved() == []
    case_id = window.queue.case_id
    press(qtbot, window, Qt.Key.Key_T)
    qtbot.keyClicks(window.ui.casePane.ui.threatEdit, "Half-typed threat")
    assert window.shell.unsaved() == [f"THRIVE assessment not saved on case #{case_id}."]
    press(qtbot, window, Qt.Key.Key_Escape)
    press(qtbot, window, Qt.Key.Key_J)  # the draft is kept for the case, and still named
    qtbot.waitUntil(lambda: window.queue.case_id != case_id)
    assert window.shell.unsaved() == [f"THRIVE assessment not saved on case #{case_id}."]

    press(qtbot, window, Qt.Key.Key_N)
    note = window.queue.dialog
    qtbot.keyClicks(note.ui.textEdit, "Rang back")
    lost = window.shell.unsaved()
    assert len(lost) == 2
    assert f"The note you are writing (Note on case #{window.queue.case_id}) is not saved." in lost
    note.reject()
    qtbot.waitUntil(lambda: window.queue.dialog is None)
    assert len(window.shell.unsaved()) == 1


def test_saving_thrive_leaves_nothing_unsaved(qtbot: QtBot, window: MainWindow) -> None:
    claim_first(qtbot, window)
    pane = window.ui.casePane
    for factor, edit in pane.thrive_edits().items():
        type_text = THRIVE[factor]
        edit.setText(type_text)
        edit.textEdited.emit(type_text)
    pane.ui.gradeCombo.setCurrentIndex(pane.ui.gradeCombo.findData("priority"))
    assert window.shell.unsaved()
    window.ui.actionSaveAssessment.trigger()
    wait_case(qtbot, window, lambda d: d.row.grade == "priority")
    assert window.shell.unsaved() == []


@pytest.fixture
def escalated(qtbot: QtBot, make_window: MakeWindow, staffed: Staffed) -> MainWindow:
    """A claimed case with an escalation still awaiting acknowledgement, selected."""
    d, admin = staffed.desk, staffed.admin_token
    fill_queue(staffed)
    d.importer.store(
        admin,
        [item("r", "Lovely photos of the carnival parade", author="u9", thread=None)],
        "road",
    )
    with d.ctx.db.read() as s:
        case_id = max(s.scalars(select(Case.id)))
    token = staffed.sign_in(staffed.operator)
    d.cases.claim(token, case_id)
    d.escalations.escalate(token, case_id, TargetKind.INTELLIGENCE, Urgency.TODAY, "road")
    window, _token = make_window(staffed.operator)
    wait_ready(qtbot, window)
    bar = window.ui.filterBar
    type_into(qtbot, bar.ui.searchEdit, "carnival")
    qtbot.waitUntil(lambda: window.queue.model.rowCount() == 1 and window.queue.case_id == case_id)
    wait_case(qtbot, window, lambda d: d.row.case_id == case_id)
    return window


def open_close(qtbot: QtBot, window: MainWindow) -> CloseDialog:
    window.ui.actionCloseCase.trigger()
    dialog = window.queue.dialog
    assert isinstance(dialog, CloseDialog)
    window.queue.close_with(Outcome.NO_ACTION, "Answered")
    settle(qtbot, window)
    return dialog


def question(window: MainWindow) -> QMessageBox:
    box = window.queue.commands.question
    assert box is not None and box.isVisible()
    return box


def test_closing_with_an_unacknowledged_escalation_asks_and_can_go_ahead(
    qtbot: QtBot, escalated: MainWindow
) -> None:
    window = escalated
    case_id = window.queue.case_id
    open_close(qtbot, window)
    box = question(window)
    assert "still awaiting acknowledgement" in box.text()
    assert "Intelligence" in box.text() or "#" in box.text()  # the waiting one is named
    assert window.desk.queue.detail(window.token, case_id).row.status != "closed"
    anyway = next(b for b in box.buttons() if b.text() == "Close anyway")
    qtbot.mouseClick(anyway, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert window.queue.dialog is None
    closed = window.desk.queue.detail(window.token, case_id)  # type: ignore[arg-type]
    assert closed.row.status == "closed"
    assert "despite" in closed.timeline[-1].text


def test_cancelling_the_question_leaves_the_case_open(qtbot: QtBot, escalated: MainWindow) -> None:
    window = escalated
    case_id = window.queue.case_id
    dialog = open_close(qtbot, window)
    box = question(window)
    box.button(QMessageBox.StandardButton.Cancel).click()
    settle(qtbot, window)
    assert window.queue.commands.question is None
    assert dialog.isVisible()  # the outcome and note are still there
    assert "still awaiting acknowledgement" in dialog.ui.messageLabel.text()
    assert window.desk.queue.detail(window.token, case_id).row.status != "closed"


def test_short_account_names_tell_the_accounts_apart() -> None:
    from desk.gui.labels import short_account_names

    names = short_account_names(
        [
            "Exampleshire Police (Facebook page)",
            "Exampleshire Police North (Facebook page)",
            "@ExampleshirePolice",
            "@ExampleshireCops_North",
            "@ExampleshireRPU",
            "@exampleshire_dogs",
            "@exampleshirepolice.bsky.social",
        ]
    )
    assert names == {
        "Exampleshire Police (Facebook page)": "Police",
        "Exampleshire Police North (Facebook page)": "Police North",
        "@ExampleshirePolice": "Police",
        "@ExampleshireCops_North": "Cops North",
        "@ExampleshireRPU": "RPU",
        "@exampleshire_dogs": "dogs",
        "@exampleshirepolice.bsky.social": "police",
    }
    assert short_account_names(["@only"]) == {"@only": "only"}


def test_closing_a_group_with_an_unacknowledged_escalation_asks_too(
    qtbot: QtBot, escalated: MainWindow, staffed: Staffed
) -> None:
    window = escalated
    case_id = window.queue.case_id
    staffed.desk.importer.store(
        staffed.admin_token,
        [item("r2", "Lovely photos of the carnival parade", author="u8", thread=None)],
        "same",
    )
    window.ui.actionGroupSimilar.trigger()
    settle(qtbot, window)
    dialog = window.queue.dialog
    assert isinstance(dialog, CloseDialog) and dialog.objectName() == "groupDialog"
    window.queue.close_with(Outcome.NO_ACTION, "Same question")
    settle(qtbot, window)
    box = question(window)
    assert "still awaiting acknowledgement" in box.text()
    assert window.desk.queue.detail(window.token, case_id).row.status != "closed"
    qtbot.mouseClick(
        next(b for b in box.buttons() if b.text() == "Close anyway"), Qt.MouseButton.LeftButton
    )
    settle(qtbot, window)
    assert window.desk.queue.detail(window.token, case_id).row.status == "closed"
