"""A cold start: the login window first, the profile opened behind it while the person types."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desk.auth.totp import code_at, time_step
from desk.core.clock import SystemClock
from desk.gui import app as app_module
from desk.gui import startup_probe
from desk.gui.controller import DeskController
from desk.gui.login_dialog import LoginDialog
from desk.paths import resolve_profile
from desk.services.desk import Desk
from tests.conftest import Staffed
from tests.keyrings import MemoryKeyring

OPENING = "Opening the desk…"


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
def watched(monkeypatch: pytest.MonkeyPatch, qtbot: QtBot) -> dict[str, Any]:
    """Look at the login window main() shows, the moment it is first on screen."""
    seen: dict[str, Any] = {}

    class WatchedLogin(LoginDialog):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            seen["dialog"] = self
            # connected before main() connects the opening: this looks first
            self.first_painted.connect(self._look)

        def _look(self) -> None:
            button = self.ui.signInButton
            seen["at_first_paint"] = (
                self.isVisible(),
                self.ready,
                button.isEnabled(),
                button.text(),
            )
            # the person starts typing at once; pressing Sign in (or Enter) does nothing yet
            qtbot.keyClicks(self.ui.usernameEdit, "jsmith")
            qtbot.keyClick(self.ui.usernameEdit, Qt.Key.Key_Return)
            qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
            seen["after_early_submit"] = (self.isVisible(), self.worker.busy, self.message)

    monkeypatch.setattr(app_module, "LoginDialog", WatchedLogin)
    return seen


def test_the_login_window_shows_first_and_sign_in_waits_for_the_profile(
    staffed: Staffed, qapp: QApplication, monkeypatch: pytest.MonkeyPatch, watched: dict[str, Any]
) -> None:
    op = staffed.operator
    original_start = DeskController.start
    after: dict[str, Any] = {}

    def start(self: DeskController, login: LoginDialog | None = None) -> None:
        original_start(self, login)
        dialog = self.login_dialog
        assert dialog is not None
        after["same_window"] = dialog is login is watched["dialog"]
        after["state"] = (dialog.ui.signInButton.isEnabled(), dialog.ui.signInButton.text())
        after["typed"] = dialog.ui.usernameEdit.text()
        after["title"] = dialog.windowTitle()
        after["footer"] = dialog.ui.footerLabel.text()
        # the person finishes typing and signs in, in the window they typed into
        dialog.ui.passwordEdit.setText(op.password)
        dialog.ui.codeEdit.setText(code_at(op.seed, time_step(SystemClock().now())))
        dialog.ui.signInButton.click()

        def signed_in() -> None:
            if self.main_window is None:
                QTimer.singleShot(50, signed_in)
                return
            after["main_window_for"] = self.main_window.actor.username
            qapp.exit(0)

        signed_in()

    monkeypatch.setattr(DeskController, "start", start)
    profile = staffed.desk.profile
    assert app_module.main(["--data-dir", str(profile.data_dir)]) == 0

    visible, ready, enabled, text = watched["at_first_paint"]
    assert visible and not ready and not enabled and text == OPENING
    assert watched["after_early_submit"] == (True, False, "")  # nothing sent, no complaint
    assert after["same_window"]
    assert after["state"] == (True, "&Sign in")
    assert after["typed"] == "jsmith"  # what was typed while the profile opened is kept
    assert after["title"] == "Desk — " + str(staffed.desk.settings.get("desk_name"))
    assert "Keyring:" in after["footer"] and profile.name in after["footer"]
    assert after["main_window_for"] == "jsmith"


def test_a_new_profile_switches_the_login_window_for_the_set_up_wizard(
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    qapp: QApplication,
    monkeypatch: pytest.MonkeyPatch,
    watched: dict[str, Any],
) -> None:
    original_start = DeskController.start
    after: dict[str, Any] = {}

    def start(self: DeskController, login: LoginDialog | None = None) -> None:
        original_start(self, login)
        after["wizard_shown"] = self.wizard is not None and self.wizard.isVisible()
        after["login_hidden"] = login is not None and not login.isVisible()
        after["login_kept"] = self.login_dialog is not None
        qapp.exit(0)

    monkeypatch.setattr(DeskController, "start", start)
    assert app_module.main(["--data-dir", str(tmp_path / "new")]) == 0
    assert watched["at_first_paint"][:2] == (True, False)
    assert after == {"wizard_shown": True, "login_hidden": True, "login_kept": False}


def test_the_probe_fires_on_the_login_window_and_the_profile_is_still_opened_and_closed(
    staffed: Staffed,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    watched: dict[str, Any],
) -> None:
    closed: list[Desk] = []
    original_close = Desk.close

    def close(self: Desk) -> None:
        closed.append(self)
        original_close(self)

    monkeypatch.setattr(Desk, "close", close)
    monkeypatch.setitem(os.environ, startup_probe.ENV, "1")
    profile = resolve_profile(staffed.desk.profile.data_dir)
    assert app_module.main(["--data-dir", str(profile.data_dir)]) == 0
    assert capsys.readouterr().out.splitlines() == [startup_probe.SHOWN]
    assert watched["at_first_paint"][:2] == (True, False)  # the real login window, not ready
    # the exit came while the profile was opening: it was waited for, then closed
    assert [d.profile.data_dir for d in closed] == [profile.data_dir]


def test_the_probe_can_wait_for_sign_in_to_be_ready(
    staffed: Staffed,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    watched: dict[str, Any],
) -> None:
    monkeypatch.setitem(os.environ, startup_probe.ENV, startup_probe.UNTIL_READY)
    assert app_module.main(["--data-dir", str(staffed.desk.profile.data_dir)]) == 0
    assert capsys.readouterr().out.splitlines() == [startup_probe.SHOWN, startup_probe.READY]
    dialog = watched["dialog"]
    assert dialog.ready and dialog.ui.signInButton.isEnabled()
