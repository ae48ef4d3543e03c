"""Supervisor → Subject access requests…: the register, overdue in the warning colour, export."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from desk.core.cases import Outcome
from desk.core.subject_access import REDACTED
from desk.gui.case_dialogs import TextEntryDialog
from desk.gui.subject_access_dialogs import FieldsDialog, ReviewDialog
from desk.gui.subject_access_window import OVERDUE_BACKGROUND, SubjectAccessWindow
from desk.store.tables import Case
from tests.conftest import Staffed
from tests.gui.conftest import settle
from tests.gui.queue_fixtures import MakeWindow
from tests.subject_data import KIM_HANDLE, PAT_HANDLE, PAT_TEXTS, Subject, worked_subject


@pytest.fixture
def subject(staffed: Staffed) -> Subject:
    return worked_subject(staffed)


def _open(qtbot: QtBot, make_window: MakeWindow, subject: Subject) -> SubjectAccessWindow:
    window, _ = make_window(subject.sue)
    action = window.subject_access.action
    assert action.isEnabled() and action in window.ui.menuSupervisor.actions()
    action.trigger()
    register = window.subject_access.window
    assert register is not None
    settle(qtbot, window)
    return register


def test_the_register_shows_overdue_requests_in_the_warning_colour(
    qtbot: QtBot, make_window: MakeWindow, subject: Subject
) -> None:
    d, sue = subject.staffed.desk, subject.staffed.sign_in(subject.sue)
    d.subject_access.add(sue, "Late Requester", "uk_gdpr", date(2026, 10, 1))
    d.subject_access.add(sue, "New Requester", "part3", date(2026, 11, 25))
    register = _open(qtbot, make_window, subject)
    table = register.ui.requestTable
    assert table.rowCount() == 2
    cells = {table.item(r, 1).text(): r for r in range(table.rowCount())}
    late = cells["Late Requester"]
    assert table.item(late, 5).text() == "OVERDUE"
    assert table.item(late, 4).text() == "2026-11-01"
    assert table.item(late, 0).background().color() == OVERDUE_BACKGROUND
    assert table.item(cells["New Requester"], 5).text() == "on time"
    assert "1 overdue" in register.ui.stateLabel.text()


def test_adding_pausing_and_closing_from_the_window(
    qtbot: QtBot, make_window: MakeWindow, subject: Subject
) -> None:
    register = _open(qtbot, make_window, subject)
    shell = register.shell
    register.ui.addButton.click()
    dialog = shell.dialog
    assert isinstance(dialog, FieldsDialog)
    dialog.fields["requester"].setText("Pat Resident")  # type: ignore[union-attr]
    dialog.fields["subject"].setText(f"x:{PAT_HANDLE}")  # type: ignore[union-attr]
    dialog._submit()
    settle(qtbot, register.shell.window)
    assert register.ui.requestTable.rowCount() == 1
    register.ui.requestTable.selectRow(0)
    assert "Identity not checked yet." in register.ui.detailLabel.text()
    register.ui.closeButton.click()
    closing = shell.dialog
    assert isinstance(closing, FieldsDialog)
    closing.fields["outcome"].setCurrentIndex(0)  # type: ignore[union-attr]  # disclosed
    closing._submit()
    settle(qtbot, register.shell.window)
    assert "identity has not been checked" in closing.message.text()  # refused, said inside


def test_export_for_an_author_after_review(
    qtbot: QtBot, make_window: MakeWindow, subject: Subject, tmp_path: Path
) -> None:
    register = _open(qtbot, make_window, subject)
    register.choose_folder = lambda: str(tmp_path)  # type: ignore[method-assign]
    register.ui.authorEdit.setText(f"x:{PAT_HANDLE}")
    register.ui.exportButton.click()
    settle(qtbot, register.shell.window)
    review = register.shell.dialog
    assert isinstance(review, ReviewDialog)
    texts = [review.list.item(i).text() for i in range(review.list.count())]
    assert any("@kimneighbour" in t for t in texts)
    for i in range(review.list.count()):  # keep only the neighbour's mention redacted
        item = review.list.item(i)
        if "@kimneighbour" not in item.text():
            item.setCheckState(Qt.CheckState.Unchecked)
    with qtbot.waitSignal(register.exported, timeout=10_000):
        review._submit()
    (written,) = tmp_path.glob("*.json")
    data = json.loads(written.read_text(encoding="utf-8"))
    assert data["items"][0]["text"] == PAT_TEXTS[0]
    assert REDACTED in data["items"][1]["text"] and "kimneighbour" not in written.read_text()
    assert list(tmp_path.glob("*.pdf"))
    assert "Wrote the export" in register.ui.stateLabel.text()


def test_an_operator_cannot_open_it(make_window: MakeWindow, staffed: Staffed) -> None:
    window, _ = make_window(staffed.operator)
    assert not window.subject_access.action.isEnabled()


def test_erasing_an_author_from_the_window_is_refused_then_done(
    qtbot: QtBot, make_window: MakeWindow, subject: Subject
) -> None:
    register = _open(qtbot, make_window, subject)
    register.ui.authorEdit.setText(f"x:{KIM_HANDLE}")
    register.ui.eraseButton.click()
    dialog = register.shell.dialog
    assert isinstance(dialog, TextEntryDialog)
    dialog.ui.textEdit.setPlainText("Art. 17 request")
    dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).click()
    settle(qtbot, register.shell.window)
    assert "open case(s)" in dialog.ui.messageLabel.text()  # Kim's case is still open
    d = subject.staffed.desk
    d.cases.claim(subject.jo, subject.kim_case)
    d.cases.close(subject.jo, subject.kim_case, Outcome.NO_ACTION)
    dialog.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok).click()
    settle(qtbot, register.shell.window)
    with d.ctx.db.read() as s:
        assert s.get(Case, subject.kim_case) is None
