"""The ``desk`` command: version, refusing to start, and the demo profile."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.backends.null
import pytest
from PySide6.QtWidgets import QApplication, QMessageBox

import desk as desk_package
from desk.gui import app as app_module
from desk.gui.controller import DeskController
from desk.gui.login_dialog import LoginDialog
from desk.services import demo
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


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert app_module.main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"desk {desk_package.__version__}"


def test_no_usable_keyring_refuses_to_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], critical: list[str]
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(keyring.backends.null.Keyring())
    try:
        code = app_module.main(["--data-dir", str(tmp_path / "p")])
    finally:
        keyring.set_keyring(previous)
    assert code == 2
    err = capsys.readouterr().err
    assert "keyring" in err.lower()
    assert critical == [err.strip()]


def test_a_damaged_database_refuses_to_start(
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    capsys: pytest.CaptureFixture[str],
    critical: list[str],
) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "desk.sqlite3").write_bytes(b"this is not a database" * 100)
    assert app_module.main(["--data-dir", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "desk.sqlite3" in err
    assert len(critical) == 1


def test_demo_opens_a_throw_away_profile_and_says_how_to_sign_in(
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    qapp: QApplication,
) -> None:
    made = demo.make_demo_profile
    monkeypatch.setattr(demo, "make_demo_profile", lambda: made(tmp_path))
    seen: dict[str, object] = {}
    started: list[DeskController] = []
    original_start = DeskController.start

    # the login window shows first; start() runs once the profile has opened behind it
    def start(self: DeskController, login: LoginDialog | None = None) -> None:
        original_start(self, login)
        started.append(self)
        dialog = self.login_dialog
        assert dialog is not None and dialog is login  # the window shown first, kept
        dialog.ui.usernameEdit.setText("demo")
        seen["label"] = dialog.ui.demoCodeLabel.text()
        seen["data_dir"] = self.desk.profile.data_dir
        qapp.exit(0)  # the windows have been looked at

    monkeypatch.setattr(DeskController, "start", start)
    assert app_module.main(["--demo"]) == 0

    out = capsys.readouterr().out
    for username, _name, role in demo.DEMO_PEOPLE:
        assert username in out and role.value in out
    assert demo.DEMO_PASSWORD in out
    assert "current code" in out
    assert str(seen["data_dir"]).startswith(str(tmp_path))
    assert str(seen["label"]).startswith("DEMO PROFILE — current code for demo: ")
    dialog = started[0].login_dialog
    assert dialog is not None and not dialog.isVisible()  # closed when exec returned


def test_demo_never_uses_a_given_profile(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        app_module.main(["--demo", "--data-dir", str(tmp_path)])
    assert exited.value.code == 2
    assert "leave out --data-dir" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_demo_instructions_list_each_key() -> None:
    logins = [demo.DemoLogin("demo", demo.DEMO_PEOPLE[0][2], "pw", "ABCDEFGHIJKLMNOP")]
    text = app_module.demo_instructions(logins, demo.resolve_profile(Path("/x")))
    assert "ABCDEFGHIJKLMNOP" in text and "operator" in text and "'pw'" in text
