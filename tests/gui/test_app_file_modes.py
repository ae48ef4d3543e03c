"""Attack (issue 15 item 6) in the window: a profile folder others can read, a loose umask."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

from desk.gui import app as app_module
from desk.gui.controller import DeskController
from desk.gui.login_dialog import LoginDialog
from tests.keyrings import MemoryKeyring


@pytest.fixture(autouse=True)
def _restore_app_state(qapp: QApplication) -> Iterator[None]:
    """main() styles the shared QApplication and adds a log handler: undo both afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    old = os.umask(0)  # the most permissive umask Desk could be started with
    yield
    os.umask(old)
    qapp.setStyleSheet("")
    qapp.setQuitOnLastWindowClosed(True)
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def test_the_window_tightens_a_looser_profile_and_says_so(
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    qapp: QApplication,
) -> None:
    folder = tmp_path / "shared"
    folder.mkdir()
    os.chmod(folder, 0o777)  # noqa: S103 (the attack: a folder anyone may read)
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "show", lambda box: shown.append(box.text()))
    original_start = DeskController.start

    def start(self: DeskController, login: LoginDialog | None = None) -> None:
        original_start(self, login)
        qapp.exit(0)  # the profile is open: enough

    monkeypatch.setattr(DeskController, "start", start)
    assert app_module.main(["--data-dir", str(folder)]) == 0

    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert len(shown) == 1 and str(folder) in shown[0] and "readable by you only" in shown[0]
    for path in folder.rglob("*"):
        wanted = 0o700 if path.is_dir() else 0o600
        assert stat.S_IMODE(path.lstat().st_mode) == wanted, path
    assert os.umask(0) == 0  # the window gave the umask back when it ended
