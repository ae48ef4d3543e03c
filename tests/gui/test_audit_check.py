"""Supervisor → Verify the audit log…: the chain checked from the window, and re-anchored after
a restore (the window's way to what ``desk-admin audit verify`` and ``reanchor`` do)."""

from __future__ import annotations

import json
import sqlite3

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from desk.core.roles import Role
from desk.gui.audit_check import ACCEPT_BUTTON, CONFIRM_NAME, RESULT_NAME
from desk.gui.main_window import MainWindow
from tests.conftest import Staffed
from tests.gui.conftest import settle
from tests.gui.queue_fixtures import MakeWindow

pytestmark = pytest.mark.sqlite_only  # the restore is played by cutting the file's tail


def result_box(qtbot: QtBot, window: MainWindow) -> QMessageBox:
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, RESULT_NAME) is not None)
    box = window.findChild(QMessageBox, RESULT_NAME)
    assert isinstance(box, QMessageBox)
    return box


def verify(qtbot: QtBot, window: MainWindow) -> QMessageBox:
    action = window.audit_check.action
    assert action.isEnabled() and action.isVisible()
    action.trigger()
    settle(qtbot, window)
    return result_box(qtbot, window)


def test_an_intact_log_is_said_to_verify_with_the_anchor_matched(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.admin)
    box = verify(qtbot, window)
    text = box.text()
    assert text.startswith("The audit chain verifies:") and "entries, the latest #" in text
    assert "This workstation's anchor matches: entry #" in text
    assert box.icon() == QMessageBox.Icon.Information
    assert box.findChild(QPushButton, ACCEPT_BUTTON) is None  # nothing to accept


def test_an_operator_has_no_such_action(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    window, _token = make_window(staffed.operator)
    assert not window.audit_check.action.isEnabled() or not window.audit_check.action.isVisible()


def test_after_a_restore_the_log_is_accepted_as_it_is_and_that_is_audited(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    d = staffed.desk
    for name in ("amy", "bob", "cat"):  # entries the restored backup will not hold
        d.accounts.add_user(
            staffed.admin_token, name, name.title(), Role.OPERATOR, f"{name} pw 12345678"
        )
    d.signin.sign_out(staffed.sign_in(staffed.operator))  # the keyring's anchor: the newest
    anchored = d.audit.entries(staffed.admin_token, limit=1)[0].seq
    conn = sqlite3.connect(d.profile.db_path)  # the backup ends three entries earlier
    try:
        conn.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
        conn.execute("DELETE FROM audit_log WHERE seq > ?", (anchored - 3,))
        conn.execute("DELETE FROM handovers")
        conn.commit()
    finally:
        conn.close()

    window, _token = make_window(staffed.admin)
    box = verify(qtbot, window)
    text = box.text()
    assert "The audit chain verifies:" in text
    assert "This workstation's anchor is not reached:" in text and f"#{anchored}" in text
    assert "If a backup was just restored" in text
    assert box.icon() == QMessageBox.Icon.Warning
    accept = box.findChild(QPushButton, ACCEPT_BUTTON)
    assert isinstance(accept, QPushButton)
    accept.click()

    qtbot.waitUntil(lambda: window.findChild(QMessageBox, CONFIRM_NAME) is not None)
    confirm = window.findChild(QMessageBox, CONFIRM_NAME)
    assert isinstance(confirm, QMessageBox)
    assert confirm.defaultButton() is confirm.button(QMessageBox.StandardButton.Cancel)
    confirm.button(QMessageBox.StandardButton.Yes).click()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: "audit anchor now names entry #" in window.notice_text)

    entry = d.audit.entries(staffed.admin_token, limit=1)[0]
    assert entry.action == "audit.reanchor" and entry.actor == "admin"
    assert json.loads(entry.details)["replaced_seq"] == anchored
    health = d.audit.health(staffed.admin_token)
    assert health.intact and health.kept is not None and health.kept.seq == entry.seq
