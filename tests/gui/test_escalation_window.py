"""Escalating from the keyboard: F5 form pre-filled, hand-on copy/.eml/PDF, ack, banner."""

from __future__ import annotations

import shutil
import subprocess
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desk.core.escalation import TargetKind, Urgency
from desk.gui.acknowledgement_dialogs import AckDialog
from desk.gui.escalation_dialog import EscalationDialog
from desk.gui.main_window import MainWindow
from tests.conftest import Staffed
from tests.gui.conftest import activate, settle, type_into
from tests.gui.queue_fixtures import KNIFE, SELF_HARM, MakeWindow, fill_queue, wait_ready
from tests.gui.test_queue_window import claim_first, press, wait_case


@pytest.fixture
def window(qtbot: QtBot, make_window: MakeWindow, staffed: Staffed) -> MainWindow:
    """The operator's window over the six test cases, the top one (self-harm) claimed."""
    fill_queue(staffed)
    made, _token = make_window(staffed.operator)
    wait_ready(qtbot, made)
    activate(qtbot, made)
    made.queue.focus_queue()
    claim_first(qtbot, made)
    return made


def open_form(qtbot: QtBot, window: MainWindow, key: Qt.Key = Qt.Key.Key_F5) -> EscalationDialog:
    press(qtbot, window, key)
    qtbot.waitUntil(lambda: isinstance(window.escalations.dialog, EscalationDialog))
    dialog = window.escalations.dialog
    assert isinstance(dialog, EscalationDialog)
    qtbot.waitExposed(dialog)
    return dialog


def test_f5_opens_the_command_form_pre_filled_and_escalates(
    qtbot: QtBot, window: MainWindow
) -> None:
    dialog = open_form(qtbot, window)
    assert dialog.windowTitle().startswith("Escalate case #")
    assert "Command" in dialog.windowTitle()
    assert dialog.summary == SELF_HARM
    assert dialog.item_view.toPlainText() == SELF_HARM
    assert dialog.link_label.text() == "https://x.example/2"
    assert "self-harm" in dialog.risk_label.text()
    assert "THRIVE not recorded" in dialog.risk_label.text()
    assert dialog.target is not None and "Duty inspector" in dialog.target.name
    assert dialog.urgency is Urgency.HOUR  # self-harm is not graded immediate yet
    dialog.choose_urgency(Urgency.IMMEDIATE)
    type_into(qtbot, dialog.summary_edit, "Intent to end life tonight")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    case_id = window.queue.case_id
    wait_case(qtbot, window, lambda d: d.row.status == "escalated")
    assert window.notice_text.startswith(f"Case #{case_id} escalated to Duty inspector")
    timeline = window.ui.casePane.timeline_texts()
    assert any("escalated to Duty inspector" in line for line in timeline)
    qtbot.waitUntil(lambda: window.escalations.list.count() == 1)
    assert "awaiting ack by" in window.escalations.list.item(0).text()
    assert "First escalated" in window.escalations.timing_label.text()
    qtbot.waitUntil(lambda: "Escalations awaiting ack 1" in window.status_text)


def test_hand_on_copy_eml_and_pdf(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> None:
    dialog = open_form(qtbot, window, Qt.Key.Key_F6)
    assert "call for service" in dialog.windowTitle()
    QApplication.clipboard().clear()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)  # the document is read off the GUI thread
    copied = QApplication.clipboard().text()
    assert copied.startswith("ESCALATION · ")
    assert f"Summary:     {SELF_HARM}" in copied

    eml = tmp_path / "case.eml"
    dialog.save_eml_to(eml)
    settle(qtbot, window)
    assert "Saved the email draft case.eml." in dialog.message_label.text()
    parsed = message_from_bytes(eml.read_bytes(), policy=default)
    assert parsed["To"] == "control.room@example.police.uk"
    assert parsed["X-Unsent"] == "1"
    assert parsed["Subject"].startswith("[Within 1 hour] Escalation of case #")
    assert "Item text:\n  " + SELF_HARM in parsed.get_body(("plain",)).get_content()

    pdf = tmp_path / "case.pdf"
    dialog.save_pdf_to(pdf)
    settle(qtbot, window)
    assert pdf.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "60", str(pdf), str(tmp_path / "page")], check=True
        )
        assert (tmp_path / "page-1.png").stat().st_size > 1000
    assert "Saved the PDF case.pdf." in dialog.message_label.text()
    dialog.reject()


def test_acknowledging_from_the_case_pane(
    qtbot: QtBot, window: MainWindow, staffed: Staffed
) -> None:
    case_id = window.queue.case_id
    assert case_id is not None
    staffed.desk.escalations.escalate(
        window.token, case_id, TargetKind.SAFEGUARDING, Urgency.IMMEDIATE, "x"
    )
    window.shell.case_changed.emit(case_id)
    qtbot.waitUntil(lambda: window.escalations.list.count() == 1)
    staffed.clock.advance(minutes=16)
    window.escalations.load_case(case_id)
    qtbot.waitUntil(lambda: "OVERDUE" in window.escalations.list.item(0).text())
    assert "⚑ overdue escalation" in window.escalations.timing_label.text()
    window.escalations.refresh_counts()
    qtbot.waitUntil(lambda: "Escalations awaiting ack 1 (⚑ 1 overdue)" in window.status_text)

    qtbot.mouseClick(window.escalations.ack_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(window.escalations.dialog, AckDialog))
    dialog = window.escalations.dialog
    assert isinstance(dialog, AckDialog)
    type_into(qtbot, dialog.by_edit, "DS 77 Hughes")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: "acknowledged by DS 77 Hughes" in window.escalations.list.item(0).text()
    )
    qtbot.waitUntil(lambda: "Escalations awaiting ack 0" in window.status_text)
    waiting = window.escalations.open_waiting()
    settle(qtbot, window)
    assert waiting.summary_label.text() == "No escalations await acknowledgement."
    waiting.close()


def test_the_immediate_banner_counts_down_and_offers_999_and_call_for_service(
    qtbot: QtBot, window: MainWindow, staffed: Staffed
) -> None:
    assert not window.escalations.banner.isVisible()  # self-harm, not graded
    press(qtbot, window, Qt.Key.Key_J)  # the knife case: crime in progress
    qtbot.waitUntil(lambda: window.escalations.banner.isVisible(), timeout=10_000)
    wait_case(qtbot, window, lambda d: d.row.summary == KNIFE)
    assert window.escalations.banner_text.startswith("⚠ IMMEDIATE RISK · ")
    assert "since arrival, not escalated yet" in window.escalations.banner_text

    asked: list[int] = []
    window.escalations.call_999_requested.connect(asked.append)
    qtbot.mouseClick(window.escalations.call_999_button, Qt.MouseButton.LeftButton)
    assert asked == [window.queue.case_id]

    window.ui.actionClaim.trigger()
    wait_case(qtbot, window, lambda d: d.row.status == "triage")
    # claiming an immediate-risk case opens the call-for-service form at once
    qtbot.waitUntil(lambda: isinstance(window.escalations.dialog, EscalationDialog))
    assert "call-for-service form is open" in window.notice_text
    dialog = window.escalations.dialog
    assert dialog.kind is TargetKind.CALL_FOR_SERVICE
    assert dialog.urgency is Urgency.IMMEDIATE
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "left for Contact: call for service" in window.escalations.banner_text)
    assert (
        "15:00 left" in window.escalations.banner_text or "14:5" in window.escalations.banner_text
    )


def test_escalation_keys_clash_with_no_other_action(window: MainWindow) -> None:
    from PySide6.QtGui import QAction

    from desk.gui.keys import shortcut_text

    seen: dict[str, str] = {}
    for action in window.findChildren(QAction):
        for keys in shortcut_text(action).split(", "):
            if keys:
                assert keys not in seen, f"{keys}: {seen[keys]} and {action.objectName()}"
                seen[keys] = action.objectName()
    assert seen["F5"] == "actionEscalate_command"
    assert seen["Ctrl+R"] == "actionRefresh"
    menu = [a.objectName() for a in window.ui.menuEscalate.actions() if not a.isSeparator()]
    assert "actionEscalatePending" not in menu
    assert menu[-1] == "actionEscalationsWaiting"


def test_a_cancelled_call_for_service_form_is_not_forced_again(
    qtbot: QtBot, window: MainWindow
) -> None:
    press(qtbot, window, Qt.Key.Key_J)  # the knife case: crime in progress
    wait_case(qtbot, window, lambda d: d.row.summary == KNIFE)
    assert window.escalations.dialog is None  # looking at a case opens nothing
    window.ui.actionClaim.trigger()
    qtbot.waitUntil(lambda: isinstance(window.escalations.dialog, EscalationDialog))
    dialog = window.escalations.dialog
    assert dialog.kind is TargetKind.CALL_FOR_SERVICE and dialog.urgency is Urgency.IMMEDIATE
    dialog.reject()
    qtbot.waitUntil(lambda: window.escalations.dialog is None)
    case_id = window.queue.case_id
    assert case_id is not None
    window.ui.actionRelease.trigger()
    wait_case(qtbot, window, lambda d: d.row.status == "new")
    window.ui.actionClaim.trigger()
    wait_case(qtbot, window, lambda d: d.row.status == "triage")
    qtbot.wait(300)
    assert window.escalations.dialog is None  # once per case: the banner keeps the buttons
    assert window.escalations.banner.isVisible()


def test_an_overdue_escalation_is_flagged_on_its_queue_row(
    qtbot: QtBot, window: MainWindow, staffed: Staffed
) -> None:
    from desk.gui.queue_model import COL_STATUS

    case_id = window.queue.case_id
    assert case_id is not None
    dialog = open_form(qtbot, window)
    dialog.choose_urgency(Urgency.IMMEDIATE)
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    wait_case(qtbot, window, lambda d: d.row.status == "escalated")
    model = window.queue.model

    def status_cell() -> str:
        row = model.row_of(case_id)
        return "" if row is None else str(model.data(model.index(row, COL_STATUS)))

    def shows(flagged: bool) -> bool:
        window.escalations.refresh_counts()  # its poller does this every 30 seconds
        cell = status_cell()
        return "Escalated" in cell and ("⚑" in cell) == flagged

    qtbot.waitUntil(lambda: shows(False))  # within its 15 minutes
    staffed.clock.advance(minutes=16)
    qtbot.waitUntil(lambda: shows(True))
    qtbot.waitUntil(lambda: "(⚑ 1 overdue)" in window.status_text)  # the counts come after
    state = window.escalations.state
    assert state is not None
    window.escalations.acknowledge(state.escalations[0]).submitted.emit(
        "Insp 1234 Jones", staffed.clock.now(), ""
    )
    qtbot.waitUntil(lambda: shows(False), timeout=10_000)


def test_the_waiting_list_lets_tab_out_of_the_table_and_acknowledges_from_the_keyboard(
    qtbot: QtBot, window: MainWindow, staffed: Staffed
) -> None:
    case_id = window.queue.case_id
    assert case_id is not None
    staffed.desk.escalations.escalate(
        window.token, case_id, TargetKind.SAFEGUARDING, Urgency.IMMEDIATE, "x"
    )
    press(qtbot, window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier
          | Qt.KeyboardModifier.ShiftModifier)  # fmt: skip
    waiting = window.escalations.waiting_dialog
    assert waiting is not None
    settle(qtbot, window)
    assert waiting.table.rowCount() == 1
    waiting.activateWindow()
    waiting.table.setFocus()
    qtbot.waitUntil(waiting.table.hasFocus)
    qtbot.keyClick(waiting.table, Qt.Key.Key_Tab)
    assert waiting.ack_button.hasFocus()  # Tab leaves the table: Acknowledge is reachable
    qtbot.keyClick(waiting.ack_button, Qt.Key.Key_Backtab)
    assert waiting.table.hasFocus()
    qtbot.keyClick(waiting.table, Qt.Key.Key_A, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: isinstance(window.escalations.dialog, AckDialog))
    window.escalations.dialog.reject()  # Alt+A opens it too
    qtbot.waitUntil(lambda: window.escalations.dialog is None)
    activate(qtbot, waiting)

    qtbot.keyClick(waiting.table, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: isinstance(window.escalations.dialog, AckDialog))
    dialog = window.escalations.dialog
    activate(qtbot, dialog)
    type_into(qtbot, dialog.by_edit, "DS 77 Hughes")
    qtbot.keyClick(dialog.by_edit, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    settle(qtbot, window)
    qtbot.waitUntil(lambda: waiting.table.rowCount() == 0)
    assert waiting.summary_label.text() == "No escalations await acknowledgement."
    waiting.close()


def test_the_immediate_banner_wraps_and_keeps_its_buttons_whole_at_1280x800(
    qtbot: QtBot, window: MainWindow
) -> None:
    window.resize(1280, 800)
    press(qtbot, window, Qt.Key.Key_J)  # the knife case: crime in progress
    qtbot.waitUntil(lambda: window.escalations.banner.isVisible(), timeout=10_000)
    panel = window.escalations.panel
    for width in (1280, 1000):
        window.resize(width, 800)
        qtbot.wait(50)
        for button in (panel.call_999_button, panel.call_for_service_button):
            assert button.width() >= button.sizeHint().width(), button.text()
            assert button.isVisible()
        label = panel.banner_label
        assert label.wordWrap()
        # the words take the banner's width (the buttons go under them), not a narrow column
        assert label.width() >= 0.8 * panel.banner.width()
        needed = label.heightForWidth(label.width())
        assert label.height() >= needed  # every line of the countdown shows


def test_the_save_dialogs_open_in_documents_then_the_last_folder(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from desk.gui import pdf_export

    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(pdf_export, "_last_folder", [])
    monkeypatch.setattr(
        pdf_export.QStandardPaths, "writableLocation", lambda _where: str(documents)
    )
    offered: list[str] = []
    kept = tmp_path / "hand-on"
    kept.mkdir()

    def save_as(_parent: object, _title: str, start: str, _kinds: str) -> tuple[str, str]:
        offered.append(start)
        return str(kept / Path(start).name), ""

    monkeypatch.setattr(pdf_export.QFileDialog, "getSaveFileName", save_as)
    dialog = open_form(qtbot, window, Qt.Key.Key_F6)
    dialog.pdf_button.click()
    settle(qtbot, window)
    dialog.eml_button.click()
    settle(qtbot, window)
    assert Path(offered[0]).parent == documents  # not the home folder
    assert Path(offered[0]).name.endswith(".pdf")
    assert Path(offered[1]).parent == kept and Path(offered[1]).name.endswith(".eml")
    assert sorted(p.suffix for p in kept.iterdir()) == [".eml", ".pdf"]
    dialog.reject()
