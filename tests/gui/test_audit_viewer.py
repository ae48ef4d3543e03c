"""Supervisor → Audit log…: filter, page back, export marked CSV and JSON."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desk.core.roles import Role
from desk.gui.audit_viewer import PAGE, AuditViewer
from tests.conftest import Person, Staffed
from tests.gui.conftest import settle, type_into
from tests.gui.queue_fixtures import MakeWindow

SGT_PASSWORD = "sergeant's long password"


def _sergeant(staffed: Staffed) -> Person:
    enrolment = staffed.desk.accounts.add_user(
        staffed.admin_token, "sgt", "Sgt Evans", Role.SUPERVISOR, SGT_PASSWORD
    )
    return Person("sgt", SGT_PASSWORD, enrolment.seed, Role.SUPERVISOR)


def _log(staffed: Staffed, count: int) -> None:
    ctx = staffed.desk.ctx
    with ctx.db.write() as s:
        for n in range(count):
            case = 3 if n % 4 == 0 else 2
            ctx.audit.record(s, "jsmith", "case.note", f"case:{case}", n=n, text="=1+1")


def _open(qtbot: QtBot, make_window: MakeWindow, person: Person) -> tuple[object, AuditViewer]:
    window, _token = make_window(person)
    action = window.audit_log.action
    assert action.isEnabled(), action.toolTip()
    action.trigger()
    viewer = window.audit_log.viewer
    assert viewer is not None
    settle(qtbot, window)
    return window, viewer


def test_a_supervisor_filters_pages_back_and_exports(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, tmp_path: Path
) -> None:
    sgt = _sergeant(staffed)
    _log(staffed, PAGE + 50)
    window, viewer = _open(qtbot, make_window, sgt)
    assert viewer.model.rowCount() == PAGE
    assert "Show older" in viewer.ui.countLabel.text() and viewer.ui.moreButton.isEnabled()
    seqs = [e.seq for e in viewer.model.entries]
    assert seqs == sorted(seqs, reverse=True)

    qtbot.mouseClick(viewer.ui.moreButton, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert viewer.model.rowCount() > PAGE and not viewer.ui.moreButton.isEnabled()
    assert "all that match" in viewer.ui.countLabel.text()

    type_into(qtbot, viewer.ui.caseEdit, "3")
    type_into(qtbot, viewer.ui.actorEdit, "jsmith")
    qtbot.mouseClick(viewer.ui.applyButton, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    objects = {viewer.model.index(r, 4).data() for r in range(viewer.model.rowCount())}
    assert objects == {"case:3"} and viewer.model.rowCount() == (PAGE + 50 + 3) // 4

    out = tmp_path / "audit.csv"
    window.audit_log.choose_path = lambda kind: str(tmp_path / f"audit.{kind}")  # type: ignore[attr-defined]
    qtbot.mouseClick(viewer.ui.exportCsvButton, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert "Exported to audit.csv" in viewer.ui.messageLabel.text()
    with out.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    assert rows[0] == rows[-1] == ["OFFICIAL-SENSITIVE"]
    assert len(rows) == viewer.model.rowCount() + 3

    qtbot.mouseClick(viewer.ui.exportJsonButton, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    data = json.loads((tmp_path / "audit.json").read_text(encoding="utf-8"))
    assert data["protective_marking"] == "OFFICIAL-SENSITIVE"
    assert data["filters"]["case"] == 3 and data["exported_by"] == "sgt"


def test_a_bad_filter_is_named_and_changes_nothing(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, viewer = _open(qtbot, make_window, staffed.admin)  # administrators see it too
    shown = viewer.model.rowCount()
    type_into(qtbot, viewer.ui.sinceEdit, "yesterday")
    qtbot.mouseClick(viewer.ui.applyButton, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert "From: 'yesterday' is not an ISO date and time" in viewer.ui.messageLabel.text()
    assert viewer.model.rowCount() == shown


def test_operators_cannot_open_it(make_window: MakeWindow, staffed: Staffed) -> None:
    window, _token = make_window(staffed.operator)
    assert not window.audit_log.action.isEnabled()
