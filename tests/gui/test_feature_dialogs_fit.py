"""The escalation, moderation and reply dialogs fit a 1280x800 workstation with nothing cut off."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractButton, QDialog, QLabel, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desk.core.escalation import TargetKind
from desk.core.moderation import ModerationKind
from desk.core.roles import Role
from desk.gui.main_window import MainWindow
from tests.conftest import USER_PASSWORD, Person, Staffed
from tests.gui.conftest import activate, settle
from tests.gui.queue_fixtures import MakeWindow, fill_queue, wait_ready
from tests.gui.test_queue_window import claim_first

SCREEN = (1280, 800)


def cut_off(dialog: QWidget) -> list[str]:
    """Say which buttons are narrower than they need and which labels do not show their text."""
    problems = []
    width, height = SCREEN
    if dialog.width() > width or dialog.height() > height:
        problems.append(f"{dialog.objectName()} is {dialog.width()}x{dialog.height()}")
    for button in dialog.findChildren(QAbstractButton):
        if button.isVisible() and button.width() < button.sizeHint().width():
            problems.append(f"button {button.text()!r}: {button.width()} < {button.sizeHint()}")
    for label in dialog.findChildren(QLabel):
        if not label.isVisible() or not label.text():
            continue
        if label.wordWrap():
            if label.height() < label.heightForWidth(label.width()):
                problems.append(f"label {label.text()[:30]!r} is cut at the foot")
        elif label.width() < label.sizeHint().width():
            problems.append(f"label {label.text()[:30]!r}: {label.width()} < {label.sizeHint()}")
    return problems


def check(qtbot: QtBot, dialog: Any) -> None:
    assert isinstance(dialog, QDialog)
    qtbot.waitExposed(dialog)
    qtbot.wait(50)
    assert cut_off(dialog) == []
    dialog.close()


@pytest.fixture
def window(qtbot: QtBot, make_window: MakeWindow, staffed: Staffed) -> MainWindow:
    """The operator's window at 1280x800 on the top case, claimed."""
    fill_queue(staffed)
    staffed.desk.settings.set(staffed.admin_token, "force_name", "Exampleshire Police")
    made, _token = make_window(staffed.operator)
    made.resize(*SCREEN)
    wait_ready(qtbot, made)
    activate(qtbot, made)
    made.queue.focus_queue()
    claim_first(qtbot, made)
    return made


def test_the_operators_dialogs_fit(qtbot: QtBot, window: MainWindow) -> None:
    escalations, moderation, replies = window.escalations, window.moderation, window.replies
    escalations.escalate(TargetKind.COMMAND)
    settle(qtbot, window)
    check(qtbot, escalations.dialog)
    settle(qtbot, window)
    moderation.moderate(ModerationKind.HIDE)
    settle(qtbot, window)
    check(qtbot, moderation.dialog)
    replies.open_picker(None)
    settle(qtbot, window)
    check(qtbot, replies.dialog)
    check(qtbot, replies.free_text(private=False))
    escalations.refer(window.queue.case_id or 0)
    check(qtbot, escalations.dialog)
    waiting = escalations.open_waiting()
    settle(qtbot, window)
    check(qtbot, waiting)
    assert [b.text() for b in window.findChildren(QMessageBox) if b.isVisible()] == []


def test_the_supervisors_and_administrators_dialogs_fit(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed
) -> None:
    sue = staffed.desk.accounts.add_user(
        staffed.admin_token, "sgreen", "Sue Green", Role.SUPERVISOR, USER_PASSWORD
    )
    boss, _token = make_window(Person("sgreen", USER_PASSWORD, sue.seed, Role.SUPERVISOR))
    boss.resize(*SCREEN)
    wait_ready(qtbot, boss)
    approvals = boss.replies.open_approvals()
    settle(qtbot, boss)
    check(qtbot, approvals)
    library = boss.replies.open_library()
    settle(qtbot, boss)
    check(qtbot, library)
    admin, _token = make_window(staffed.admin)
    admin.resize(*SCREEN)
    guidelines = admin.moderation.open_guidelines()
    settle(qtbot, admin)
    qtbot.waitExposed(guidelines)
    assert cut_off(guidelines) == []
    form = guidelines.add()
    check(qtbot, form)
    guidelines.close()
