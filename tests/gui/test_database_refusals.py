"""Issue 15 items 3 and 8 in the window: a database that is not Desk's, or is damaged.

``desk --data-dir`` on another program's SQLite file refuses to start and leaves the file
byte-identical; a damaged file stops Desk with a message and exit status 5, at the start, at
sign-in, and when an operation in the main window meets the damage.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from desk.core.errors import DatabaseDamaged
from desk.gui import app as app_module
from desk.gui.damage import EXIT_DAMAGED
from desk.gui.login_dialog import LoginDialog
from desk.gui.main_window import MainWindow
from desk.gui.operations import QueryOp
from desk.gui.workers import Worker
from desk.paths import resolve_profile
from desk.services.desk import Desk
from tests.conftest import Staffed, next_code
from tests.gui.conftest import submit_login
from tests.keyrings import MemoryKeyring


@pytest.fixture(autouse=True)
def _restore_app_state(qapp: QApplication) -> Iterator[None]:
    """main() styles the shared QApplication and adds a log handler: undo both afterwards."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    qapp.setStyleSheet("")
    qapp.setQuitOnLastWindowClosed(True)
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


@pytest.fixture
def critical(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record QMessageBox.critical instead of blocking on it."""
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, _title, text: shown.append(text))
    return shown


@pytest.fixture
def exits(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the exit status Desk asks the application for."""
    asked: list[int] = []
    monkeypatch.setattr(QCoreApplication, "exit", lambda status=0: asked.append(status))
    return asked


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def damage_record(db: Path, text: bytes) -> None:
    """Change one byte inside a record (the quick check at the start cannot see it)."""
    data = bytearray(db.read_bytes())
    at = data.find(text)
    assert at > 0
    data[at + 3] ^= 0xFF
    db.write_bytes(bytes(data))


def shown_box(qtbot: QtBot, parent: object) -> QMessageBox:
    """Wait for the message box Desk opens over ``parent`` and return it."""
    found: list[QMessageBox] = []

    def opened() -> bool:
        found[:] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, QMessageBox) and w.isVisible()
        ]
        return bool(found)

    qtbot.waitUntil(opened, timeout=10_000)
    return found[0]


def test_the_window_refuses_another_programs_file_and_leaves_it_alone(
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    critical: list[str],
) -> None:
    folder = tmp_path / "p"
    profile = resolve_profile(folder).create()
    with sqlite3.connect(profile.db_path) as conn:
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("CREATE TABLE invoices (id INTEGER, customer TEXT)")
    conn.close()
    before = digest(profile.db_path)
    assert app_module.main(["--data-dir", str(folder)]) == app_module.EXIT_REFUSED
    err = capsys.readouterr().err
    assert str(profile.db_path) in err and "not a Desk database" in err
    assert critical == [err.strip()]
    assert digest(profile.db_path) == before
    assert sorted(p.name for p in folder.glob("desk.sqlite3*")) == ["desk.sqlite3"]


def test_a_damaged_file_stops_the_window_at_the_start_with_status_5(
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    critical: list[str],
) -> None:
    profile = resolve_profile(tmp_path / "p")
    Desk.open(profile).close()
    data = bytearray(profile.db_path.read_bytes())
    data[4096 : 4096 + 64] = b"\xff" * 64  # scribble over the second page
    profile.db_path.write_bytes(bytes(data))
    assert app_module.main(["--data-dir", str(profile.data_dir)]) == EXIT_DAMAGED
    err = capsys.readouterr().err
    assert "is damaged" in err and "Restore it from a backup" in err
    assert critical == [err.strip()]


def test_a_damaged_account_record_stops_the_sign_in_with_a_message_and_status_5(
    qtbot: QtBot, staffed: Staffed, worker: Worker, exits: list[int]
) -> None:
    profile = staffed.desk.profile
    staffed.desk.close()
    damage_record(profile.db_path, b"Jo Smith")
    damaged = Desk.open(profile, staffed.clock)  # the quick check passes: records unread
    try:
        dialog = LoginDialog(damaged, worker)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        op = staffed.operator
        submit_login(
            qtbot, dialog, worker, op.username, op.password, next_code(op.seed, staffed.clock)
        )
        box = shown_box(qtbot, dialog)
        assert "is damaged" in box.text() and str(profile.db_path) in box.text()
        assert exits == []  # the message is read first
        box.accept()
        qtbot.waitUntil(lambda: exits == [EXIT_DAMAGED])
        assert dialog.message == ""  # not mistaken for a failed sign-in
    finally:
        worker.wait()
        damaged.close()


def test_damage_met_by_a_quiet_read_in_the_main_window_stops_desk(
    qtbot: QtBot,
    staffed: Staffed,
    make_window: Callable[..., tuple[MainWindow, str]],
    exits: list[int],
) -> None:
    window, _token = make_window(staffed.operator)
    message = "The desk's database /x/desk.sqlite3 cannot be read: it is damaged (test)."

    def read() -> None:
        raise DatabaseDamaged(message)  # as Database turns SQLite's SQLITE_CORRUPT into

    QueryOp(window.shell, read, key="damaged-read").quiet().run()  # a poll, say
    box = shown_box(qtbot, window)
    assert box.text() == message
    box.accept()
    qtbot.waitUntil(lambda: exits == [EXIT_DAMAGED])
