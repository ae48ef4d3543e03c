"""File → Back up now…: off the GUI thread with a progress dialog, cancellable; scheduled ones."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from desk.gui.main_window import MainWindow
from desk.services.backup import manifest_path
from tests.conftest import Staffed
from tests.gui.conftest import settle

MakeWindow = Callable[..., tuple[MainWindow, str]]

pytestmark = pytest.mark.sqlite_only


def test_back_up_now_writes_the_backup_with_a_progress_dialog_and_says_where(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, tmp_path: Path
) -> None:
    window, _token = make_window(staffed.admin)
    settle(qtbot, window)
    backups = window.settings_menu.backups
    assert backups.action.isEnabled()
    assert backups.action in window.ui.menuFile.actions()
    out = tmp_path / "copy.sqlite3"
    with qtbot.waitSignal(backups.finished, timeout=20_000) as done:
        assert backups.start(out)
        assert backups.dialog is not None and backups.dialog.isVisible()
    assert done.args[0] is not None and done.args[0].path == out
    settle(qtbot, window)
    assert backups.dialog is None
    assert out.is_file() and json.loads(manifest_path(out).read_text())["counts"]["accounts"] == 2
    assert f"Backup written to {out}" in window.notice_text


def test_cancelling_leaves_no_file_and_says_so(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, tmp_path: Path
) -> None:
    window, _token = make_window(staffed.admin)
    settle(qtbot, window)
    backups = window.settings_menu.backups
    folder = tmp_path / "copies"
    folder.mkdir()
    real_start = backups.start

    def start_cancelled(out: Path) -> bool:
        started = real_start(out)
        backups.cancel()
        return started

    with qtbot.waitSignal(backups.finished, timeout=20_000) as done:
        assert start_cancelled(folder / "stopped.sqlite3")
    assert done.args[0] is None
    settle(qtbot, window)
    assert list(folder.iterdir()) == []
    assert "Backup cancelled" in window.notice_text


def test_operators_cannot_back_up_but_their_window_makes_the_scheduled_one(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    settle(qtbot, window)
    backups = window.settings_menu.backups
    assert not backups.action.isEnabled()
    window.lock()  # left locked: the desk is still backed up
    settle(qtbot, window)
    assert backups.check_due()
    settle(qtbot, window)
    folder = staffed.desk.profile.backup_dir
    made = [p for p in folder.iterdir() if p.name.startswith("desk-scheduled-")]
    assert len(made) == 2  # the backup and its manifest
    assert "Scheduled backup written" in window.notice_text


def test_back_up_now_asks_where_without_holding_the_window(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, tmp_path: Path
) -> None:
    window, _token = make_window(staffed.admin)
    settle(qtbot, window)
    backups = window.settings_menu.backups
    backups.action.trigger()  # returns at once: the dialog is a window of its own
    dialog = window.findChild(QFileDialog, "backupFileDialog")
    assert dialog is not None and dialog.isVisible()
    assert Path(dialog.selectedFiles()[0]).parent == staffed.desk.profile.backup_dir
    out = tmp_path / "chosen.sqlite3"
    with qtbot.waitSignal(backups.finished, timeout=20_000) as done:
        dialog.selectFile(str(out))
        dialog.accept()
    assert done.args[0] is not None and done.args[0].path == out
    assert out.is_file()
