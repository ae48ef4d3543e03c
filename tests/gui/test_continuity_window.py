"""Supervisor → Continuity pack… and Outage log…, with real widgets and the real worker."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt
from PySide6.QtPrintSupport import QPrinter
from pytestqt.qtbot import QtBot

from desk.core.items import Platform
from desk.core.roles import Role
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.gui.queue_fixtures import MakeWindow
from tests.gui.test_feature_dialogs_fit import cut_off
from tests.services.helpers import item


def _supervisor(staffed: Staffed) -> Person:
    enrol = staffed.desk.accounts.add_user(
        staffed.admin_token, "sgreen", "Sue Green", Role.SUPERVISOR, USER_PASSWORD
    )
    return Person("sgreen", USER_PASSWORD, enrol.seed, Role.SUPERVISOR)


def _cases(staffed: Staffed) -> None:
    d, token = staffed.desk, staffed.admin_token
    d.official_accounts.add(token, Platform.X, "@ExampleshirePolice")
    d.importer.store(token, [item("x1", "lost dog near the park", author="a1")], "test")


def test_a_supervisor_sees_the_pack_with_open_cases_and_saves_and_prints_it(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, tmp_path: Path
) -> None:
    _cases(staffed)
    window, _ = make_window(_supervisor(staffed))
    action = window.oversight.continuity_action
    assert action.isEnabled() and action in window.ui.menuSupervisor.actions()
    action.trigger()
    pack = window.oversight.continuity
    assert pack is not None and pack.isVisible()
    qtbot.waitUntil(lambda: pack.document is not None, timeout=10_000)
    shown = pack.view.toPlainText()
    assert "Continuity pack" in shown and "Holding statements" in shown
    assert "lost dog near the park" in shown and "OFFICIAL-SENSITIVE" in shown
    assert "with 1 open cases" in pack.state_label.text()
    assert pack.view.isReadOnly()
    target = tmp_path / "pack.pdf"
    pack.choose_pdf_path = lambda _name: str(target)
    qtbot.mouseClick(pack.pdf_button, Qt.MouseButton.LeftButton)
    assert target.read_bytes().startswith(b"%PDF")
    assert f"Saved {target}" in pack.message_label.text()
    printed: list[QPrinter] = []

    def to_file(printer: QPrinter) -> bool:
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(tmp_path / "printed.pdf"))
        printed.append(printer)
        return True

    pack.ask_printer = to_file
    qtbot.mouseClick(pack.print_button, Qt.MouseButton.LeftButton)
    assert printed and (tmp_path / "printed.pdf").stat().st_size > 0
    pack.close()


def test_an_operators_pack_says_the_open_cases_were_left_out(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    _cases(staffed)
    window, _ = make_window(staffed.operator)
    assert window.oversight.continuity_action.isEnabled()
    pack = window.oversight.open_continuity()
    qtbot.waitUntil(lambda: pack.document is not None, timeout=10_000)
    assert "lost dog" not in pack.view.toPlainText()
    assert "Without the open cases" in pack.state_label.text()
    pack.close()


def test_the_outage_dialog_starts_ends_and_records_after_the_fact_from_the_keyboard(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _ = make_window(staffed.operator)
    action = window.oversight.outage_action
    assert action.isEnabled()
    action.trigger()
    dialog = window.oversight.outages
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: not window.shell.busy, timeout=10_000)
    assert "No outage recorded" in dialog.log_list.item(0).text()
    dialog.platform_box.setCurrentIndex(dialog.platform_box.findData("x"))
    dialog.did_edit.setPlainText("Posted the holding statement on Facebook")
    dialog.record_button.setFocus()
    qtbot.keyClick(dialog.record_button, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: len(dialog.outages) == 1, timeout=10_000)
    assert dialog.outages[0].ongoing and "X: since" in dialog.log_list.item(0).text()
    # a second open outage of X is refused inside the dialog, keeping what was typed
    dialog.did_edit.setPlainText("again")
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.message_label.isVisible(), timeout=10_000)
    assert "already has outage #1" in dialog.message_label.text()
    assert dialog.did_edit.toPlainText() == "again"
    # end it
    staffed.clock.advance(minutes=40)
    dialog.log_list.setCurrentRow(0)
    assert dialog.end_button.isEnabled()
    dialog.did_edit.setPlainText("Checked X by hand every 15 minutes")
    qtbot.mouseClick(dialog.end_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(dialog.outages) and not dialog.outages[0].ongoing, timeout=10_000)
    # Desk itself, after the fact, with the cases handled on paper
    now = staffed.clock.now()
    dialog.platform_box.setCurrentIndex(dialog.platform_box.findData("desk"))
    assert dialog.paper_spin.isEnabled()
    dialog.ongoing_box.setChecked(False)
    assert dialog.to_edit.isEnabled()
    dialog.from_edit.setDateTime(
        QDateTime.fromSecsSinceEpoch(int((now - timedelta(hours=5)).timestamp()))
    )
    dialog.to_edit.setDateTime(
        QDateTime.fromSecsSinceEpoch(int((now - timedelta(hours=3)).timestamp()))
    )
    dialog.did_edit.setPlainText("Worked from the printed pack")
    dialog.paper_spin.setValue(6)
    qtbot.mouseClick(dialog.record_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(dialog.outages) == 2, timeout=10_000)
    paper = next(o for o in dialog.outages if o.platform == "desk")
    assert paper.after_the_fact and paper.paper_cases == 6
    texts = [dialog.log_list.item(i).text() for i in range(dialog.log_list.count())]
    assert any("6 cases on paper" in t and "after the fact" in t for t in texts)
    dialog.close()


def test_ongoing_outages_show_at_the_top_of_the_dashboard(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    sue = _supervisor(staffed)
    op = staffed.sign_in(staffed.operator)
    staffed.desk.outages.start(op, "tiktok", actions="Signposting on X")
    now = staffed.clock.now()
    staffed.desk.outages.record(
        op, "facebook", now - timedelta(hours=3), now - timedelta(hours=2), "Holding statement"
    )
    window, _ = make_window(sue)
    window.oversight.dashboard_action.trigger()
    dashboard = window.oversight.dashboard
    with qtbot.waitSignal(dashboard.refreshed, timeout=10_000):
        pass
    assert dashboard.outage_label.isVisible()
    assert dashboard.outage_label.text().startswith("Outage now: TikTok: since")
    assert "Outages in this period:" in dashboard.coverage_list.text()
    assert "Facebook:" in dashboard.coverage_list.text()
    dashboard.close()


def test_both_windows_fit_a_1280x800_workstation_with_nothing_cut_off(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _ = make_window(staffed.operator)
    window.resize(1280, 800)
    pack = window.oversight.open_continuity()
    qtbot.waitUntil(lambda: pack.document is not None, timeout=10_000)
    qtbot.waitExposed(pack)
    qtbot.wait(50)
    assert cut_off(pack) == []
    pack.close()
    log = window.oversight.open_outages()
    qtbot.waitUntil(lambda: not window.shell.busy, timeout=10_000)
    qtbot.waitExposed(log)
    qtbot.wait(50)
    assert cut_off(log) == []
    log.close()
