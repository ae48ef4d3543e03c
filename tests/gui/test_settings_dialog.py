"""Admin → Settings…: settings changed from the window, refused when wrong, and audited."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desk.gui.main_window import MainWindow
from desk.gui.settings_dialog import SettingsDialog
from tests.conftest import Staffed
from tests.gui.conftest import settle, type_into

MakeWindow = Callable[..., tuple[MainWindow, str]]


def open_settings(qtbot: QtBot, window: MainWindow, key: str) -> SettingsDialog:
    window.settings_menu.open_settings(key)
    settle(qtbot, window)
    dialog = window.settings_menu.dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_an_administrator_is_told_until_the_force_has_a_name_and_sets_it_here(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.admin)
    settle(qtbot, window)
    assert "force's name is not set" in window.notice_text
    assert window.notice_bar.done_button.isVisible()  # it waits to be done
    dialog = open_settings(qtbot, window, "force_name")
    assert dialog.key == "force_name"
    type_into(qtbot, dialog.ui.valueEdit, "Exampleshire   Police")
    qtbot.mouseClick(dialog.ui.saveButton, Qt.MouseButton.LeftButton)
    settle(qtbot, window)
    assert staffed.desk.settings.get("force_name") == "Exampleshire Police"
    assert dialog.ui.messageLabel.text() == "Saved."
    entry = staffed.desk.audit.entries(staffed.admin_token, 5, "setting.change")[0]
    assert entry.object == "setting:force_name"


def test_a_wrong_value_is_refused_in_the_dialog_and_changes_nothing(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.admin)
    before = staffed.desk.settings.get("idle_lock_minutes")
    dialog = open_settings(qtbot, window, "idle_lock_minutes")
    type_into(qtbot, dialog.ui.valueEdit, "0")
    qtbot.keyClick(dialog.ui.valueEdit, Qt.Key.Key_Return)
    settle(qtbot, window)
    assert dialog.isVisible()
    assert "1" in dialog.ui.messageLabel.text() and dialog.ui.messageLabel.isVisible()
    assert dialog.ui.valueEdit.text() == "0"  # what was typed stays, to correct it
    assert staffed.desk.settings.get("idle_lock_minutes") == before


def test_an_operator_cannot_change_settings_and_is_told_why(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    settle(qtbot, window)
    action = window.settings_menu.action
    assert not action.isEnabled()
    assert "does not include this" in action.toolTip()
    assert "force's name" not in window.notice_text
