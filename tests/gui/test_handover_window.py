"""Supervisor → Handover… and Coverage log…; File → Handover note…; Case → Flag as notable…."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from desk.gui import pdf_export
from desk.gui.coverage_dialog import CoverageDialog
from desk.gui.handover_window import HandoverWindow
from desk.gui.main_window import MainWindow
from desk.render.pdf import font_shows
from tests.conftest import Staffed
from tests.gui.conftest import settle
from tests.gui.queue_fixtures import MakeWindow, wait_ready
from tests.services.handover_helpers import SHIFT_START, Prepared, prepare

SHOTS = Path("/tmp/shots-handover")


@pytest.fixture
def prepared(staffed: Staffed) -> Prepared:
    """The morning shift with one of everything; the clock is now just after 15:00."""
    made = prepare(staffed)
    staffed.clock.advance(hours=3)
    return made


def _open(qtbot: QtBot, window: MainWindow) -> HandoverWindow:
    window.ui.menuSupervisor.aboutToShow.emit()
    window.handover.action_handover.trigger()
    handover = window.handover.handover_window
    assert handover is not None and handover.isVisible()
    qtbot.waitUntil(lambda: handover.report is not None and not handover.loading, timeout=10_000)
    return handover


def test_the_incoming_supervisor_reviews_prints_exports_and_signs_off(
    qtbot: QtBot, make_window: MakeWindow, prepared: Prepared, tmp_path: Path
) -> None:
    window, _token = make_window(prepared.sue)
    wait_ready(qtbot, window)
    handover = _open(qtbot, window)
    assert handover.shift.start == SHIFT_START  # the shift that just ended
    shown = handover.view.toPlainText()
    assert "Escalations awaiting acknowledgement" in shown
    assert "Missing person appeal: replies need watching" in shown
    assert "OVERDUE" in shown
    assert handover.signature_label.text() == "Not signed off yet."
    assert handover.sign_button.isEnabled()
    SHOTS.mkdir(exist_ok=True)
    handover.grab().save(str(SHOTS / "handover-window.png"))

    handover.choose_pdf_path = lambda name: str(tmp_path / name)
    pdf = handover.export_pdf()
    assert pdf is not None and pdf.read_bytes().startswith(b"%PDF")

    printed = tmp_path / "printed.pdf"

    def to_file(printer: QPrinter) -> bool:  # what a person choosing "Print to file" does
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(printed))
        return True

    handover.ask_printer = to_file
    assert handover.print_report()
    assert printed.stat().st_size > 1000

    asked: list[str] = []
    handover.confirm = lambda text: asked.append(text) is None and False  # "No" first
    qtbot.mouseClick(handover.sign_button, Qt.MouseButton.LeftButton)
    assert asked and not handover.signed
    handover.confirm = lambda text: True
    qtbot.mouseClick(handover.sign_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert handover.signed
    assert not handover.sign_button.isEnabled()
    label = handover.signature_label.text()
    assert label.startswith("Signed off by sgreen at ") and "audit entry #" in label
    assert "read-only" in label
    settle(qtbot, window)
    assert handover.past_list.count() == 1
    assert window.notice_text.startswith("Signed off by sgreen")
    assert "signed by sgreen" in handover.past_list.item(0).text()
    handover.grab().save(str(SHOTS / "handover-window-signed.png"))

    # searching the past handovers
    handover.search_edit.setText("no such words")
    qtbot.waitUntil(lambda: handover.past_list.item(0).text() == "No match.", timeout=5_000)


def test_a_note_for_a_signed_shift_is_refused_in_the_dialog(
    qtbot: QtBot, make_window: MakeWindow, prepared: Prepared
) -> None:
    d = prepared.staffed.desk
    sue = prepared.staffed.sign_in(prepared.sue)
    window, _token = make_window(prepared.staffed.operator)
    wait_ready(qtbot, window)
    assert not window.handover.action_handover.isEnabled()  # operators do not sign off
    dialog = window.handover.add_note()
    qtbot.keyClicks(dialog.ui.textEdit, "Bus diversions end at 18:00")
    dialog.ok_button.click()
    settle(qtbot, window)
    assert window.shell.dialog is None  # closed
    now_shift = d.handover.shift_at(prepared.staffed.clock.now())
    assert [n.text for n in d.handover.compile(sue, now_shift.start).notes] == [
        "Bus diversions end at 18:00"
    ]
    # sign the current shift off, then try another note for it
    d.handover.sign_off(sue, now_shift.start, "the desk closes early today")
    late = window.handover.add_note()
    qtbot.keyClicks(late.ui.textEdit, "one more thing")
    late.ok_button.click()
    settle(qtbot, window)
    assert late.isVisible()
    assert "it is read-only" in late.ui.messageLabel.text()
    late.reject()


def test_an_operator_flags_the_selected_case_as_notable(
    qtbot: QtBot, make_window: MakeWindow, prepared: Prepared
) -> None:
    window, _token = make_window(prepared.staffed.operator)
    wait_ready(qtbot, window)
    case_id = window.queue.case_id
    assert case_id is not None
    assert window.handover.action_flag.isEnabled()
    dialog = window.handover.flag_notable()
    assert dialog is not None
    qtbot.keyClicks(dialog.ui.textEdit, "Threats to PC on the bridge")
    dialog.ok_button.click()
    settle(qtbot, window)
    assert window.shell.dialog is None  # closed
    assert f"Case #{case_id} flagged as notable" in window.notice_text
    sue = prepared.staffed.sign_in(prepared.sue)
    d, now = prepared.staffed.desk, prepared.staffed.clock.now()
    notable = d.handover.compile(sue, now).notable  # the shift running now
    assert (case_id, "Threats to PC on the bridge") in [(n.case_id, n.reason) for n in notable]
    before = d.handover.compile(sue, SHIFT_START).notable  # flagged after the morning ended
    assert case_id not in [n.case_id for n in before]
    buttons = [b.objectName() for b in window.ui.casePane.buttons]
    assert "actionFlagNotableButton" in buttons


def test_the_coverage_dialog_records_a_period(
    qtbot: QtBot, make_window: MakeWindow, prepared: Prepared
) -> None:
    window, _token = make_window(prepared.sue)
    wait_ready(qtbot, window)
    window.handover.action_coverage.trigger()
    dialog = window.handover.coverage_dialog
    assert isinstance(dialog, CoverageDialog) and dialog.isVisible()
    settle(qtbot, window)
    assert dialog.table.rowCount() == 1  # the platform outage of the morning
    start = SHIFT_START + timedelta(hours=9)
    dialog.set_period(start, start - timedelta(minutes=5))
    dialog.risk_edit.setPlainText("No one on the late shift for an hour; control room aware")
    dialog.reason_combo.setCurrentIndex(dialog.reason_combo.findData("no_one_on_shift"))
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert "must end after it starts" in dialog.message_label.text()
    dialog.set_period(start, start + timedelta(hours=1))
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert dialog.message_label.text() == "Recorded."
    assert dialog.table.rowCount() == 2
    texts = [dialog.table.item(r, 2).text() for r in range(2)]
    assert "No one on shift" in texts
    SHOTS.mkdir(exist_ok=True)
    dialog.grab().save(str(SHOTS / "coverage-dialog.png"))


def test_a_running_shift_is_signed_off_early_only_with_a_reason_shown_after(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    prepared = prepare(staffed)  # the clock is in the morning shift, still running
    window, _token = make_window(prepared.sue)
    wait_ready(qtbot, window)
    handover = _open(qtbot, window)
    handover.show_current()
    qtbot.waitUntil(lambda: not handover.loading, timeout=10_000)
    assert handover.shift is not None and handover.shift.start == SHIFT_START
    assert handover.running and handover.sign_button.text() == "&Sign off early…"
    assert "the shift so far" in handover.view.toPlainText()
    handover.confirm = lambda text: pytest.fail("no plain confirmation for a running shift")
    qtbot.mouseClick(handover.sign_button, Qt.MouseButton.LeftButton)
    dialog = handover.reason_dialog
    assert dialog is not None and dialog.isVisible()
    assert not dialog.ok_button.isEnabled()  # no reason, no sign-off
    qtbot.keyClicks(dialog.ui.textEdit, "Fire drill: the desk closes at 13:00")
    dialog.ok_button.click()
    settle(qtbot, window)
    assert handover.signed and handover.reason_dialog is None  # closed
    assert (
        "Signed off before the shift ended, because: Fire drill" in handover.signature_label.text()
    )
    assert "because: Fire drill" in handover.view.toPlainText()


def test_the_window_spells_out_emoji_and_says_how_many_more_are_open(
    qtbot: QtBot, make_window: MakeWindow, prepared: Prepared
) -> None:
    d = prepared.staffed.desk
    jo = prepared.staffed.sign_in(prepared.staffed.operator)
    d.handover.add_note(jo, SHIFT_START + timedelta(hours=7), "Bridge closed 🚧 all day 👍")
    window, _token = make_window(prepared.sue)
    wait_ready(qtbot, window)
    handover = _open(qtbot, window)
    shown = handover.view.toPlainText()
    assert "Bridge closed [construction sign] all day [thumbs up sign]" in shown
    shows = font_shows(handover.view.font())
    assert all(shows(ch) for ch in shown if not ch.isspace())  # no empty box anywhere
    assert "and 8 more open (the oldest 5 are listed)" in shown


def test_the_pdf_save_dialog_opens_in_documents_then_the_last_folder(
    qtbot: QtBot, make_window: MakeWindow, prepared: Prepared, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr(pdf_export, "_last_folder", [])
    monkeypatch.setattr(
        pdf_export.QStandardPaths, "writableLocation", lambda _where: str(documents)
    )
    offered: list[str] = []
    chosen = tmp_path / "shift-reports" / "morning.pdf"
    chosen.parent.mkdir()

    def save_as(_parent: object, _title: str, start: str, _kinds: str) -> tuple[str, str]:
        offered.append(start)
        return str(chosen), ""

    monkeypatch.setattr(pdf_export.QFileDialog, "getSaveFileName", save_as)
    window, _token = make_window(prepared.sue)
    wait_ready(qtbot, window)
    handover = _open(qtbot, window)
    handover.choose_pdf_path = lambda name: pdf_export.choose_save_path(handover, "Export", name)
    assert handover.export_pdf() == chosen
    assert Path(offered[0]).parent == documents
    assert handover.export_pdf() == chosen
    assert Path(offered[1]).parent == chosen.parent  # the folder used last
