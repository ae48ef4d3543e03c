"""Every window and dialog at the workstations' sizes: nothing cut off, nothing off the screen.

Force workstations run at 1280x800, 1366x768 and 1920x1080. For each size and each role the
main window is opened at that size on a desk with cases, then every menu action that opens a
window or dialog ("…") is triggered in turn; each window that appears must fit the screen, and
no push button may be narrower than its text nor a label too small for its text.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication, QDialog, QMenu, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desk.core.roles import Role
from desk.gui.main_window import MainWindow
from desk.gui.theme import apply_theme
from tests.conftest import Person, Staffed
from tests.gui.conftest import settle
from tests.gui.layout_check import clipped, too_big, top_levels
from tests.gui.queue_fixtures import fill_queue, wait_ready

MakeWindow = Callable[..., tuple[MainWindow, str]]
SIZES = [(1280, 800), (1366, 768), (1920, 1080)]
# actions that end the session or only move the selection are not windows to look at
NOT_WINDOWS = {"actionSignOut", "actionLock", "actionQuit"}
ALSO_WINDOWS = {"actionShortcuts", "actionAbout", "actionNotices"}  # windows without "…"


def supervisor(staffed: Staffed) -> Person:
    made = staffed.desk.accounts.add_user(
        staffed.admin_token, "sgt", "Sgt Evans", Role.SUPERVISOR, "a long pass phrase 2026"
    )
    return Person("sgt", "a long pass phrase 2026", made.seed, Role.SUPERVISOR)


def information_manager(staffed: Staffed) -> Person:
    role, password = Role.INFORMATION_MANAGER, "a long pass phrase 2026"
    made = staffed.desk.accounts.add_user(staffed.admin_token, "ines", "Ines Info", role, password)
    return Person("ines", password, made.seed, role)


def window_actions(window: MainWindow) -> list[QAction]:
    """The menu actions that open a window or a dialog, in menu order."""
    found: list[QAction] = []

    def walk(menu: QMenu) -> None:
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu())
            elif action.objectName() in NOT_WINDOWS or action.isSeparator():
                continue
            elif (
                action.text().endswith("…") or action.objectName() in ALSO_WINDOWS
            ) and action not in found:
                found.append(action)

    for top in window.ui.menubar.actions():
        if top.menu() is not None:
            walk(top.menu())
    return found


def close_all(qtbot: QtBot, window: MainWindow, keep: set[QWidget]) -> None:
    for widget in top_levels() - keep:
        if isinstance(widget, QDialog):
            widget.reject()
        else:
            widget.close()
    settle(qtbot, window)
    qtbot.waitUntil(lambda: not (top_levels() - keep), timeout=5_000)


@pytest.fixture(autouse=True)
def themed(qapp: QApplication) -> Iterator[None]:
    """Desk's own look (its style sheet sets the fonts), as the app applies it; then Qt's."""
    style, sheet = qapp.style().name(), qapp.styleSheet()
    apply_theme(qapp)
    yield
    qapp.setStyleSheet(sheet)
    qapp.setStyle(style)


def problems(qtbot: QtBot, window: QWidget, width: int, height: int) -> list[str]:
    """What ``window`` still cuts off once its pending layout passes ran.

    A label whose text just changed gets its new height on the next layout pass, which a busy
    machine may run a little later: a cut that lasts two seconds is a real one.
    """
    with contextlib.suppress(qtbot.TimeoutError):
        qtbot.waitUntil(
            lambda: not (too_big(window, width, height) + clipped(window)), timeout=2_000
        )
    return too_big(window, width, height) + clipped(window)


@pytest.mark.parametrize("size", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
@pytest.mark.parametrize("role", ["operator", "supervisor", "administrator", "information_manager"])
def test_every_window_fits_the_screen(
    qtbot: QtBot, make_window: MakeWindow, staffed: Staffed, size: tuple[int, int], role: str
) -> None:
    width, height = size
    fill_queue(staffed)
    person = {
        "operator": lambda: staffed.operator,
        "supervisor": lambda: supervisor(staffed),
        "administrator": lambda: staffed.admin,
        "information_manager": lambda: information_manager(staffed),
    }[role]()
    window, _token = make_window(person)
    window.resize(width, height)
    wait_ready(qtbot, window)
    found: dict[str, list[str]] = {}
    table = window.ui.queueTable
    for row in range(min(3, table.model().rowCount())):  # two P1s (banners) and a P4
        table.selectRow(row)
        wait_ready(qtbot, window)
        qtbot.wait(50)
        found[f"main window, row {row}"] = problems(qtbot, window, width, height)
    # the operator works a P4 (its Close dialog opens), the supervisor a P1 (THRIVE first)
    table.selectRow(2 if role == "operator" else 0)
    wait_ready(qtbot, window)
    if role not in ("administrator", "information_manager"):  # they do not work cases
        qtbot.keyClick(table, Qt.Key.Key_Return)  # claimed: the case's actions open
        settle(qtbot, window)
        wait_ready(qtbot, window)
    keep = top_levels()
    opened = []
    for action in window_actions(window):
        if not action.isEnabled():
            continue
        action.trigger()
        settle(qtbot, window)
        qtbot.wait(50)
        for shown in top_levels() - keep:
            name = shown.objectName() or type(shown).__name__
            if isinstance(shown, QMessageBox):
                name = f"message after {action.objectName()}"
            opened.append(name)
            if hits := problems(qtbot, shown, width, height):
                found[f"{name} ({action.objectName()})"] = hits
        close_all(qtbot, window, keep)
    assert opened  # the walk did open windows
    cut = [f"{where}: {hit}" for where, hits in found.items() for hit in hits]
    assert cut == [], "\n".join(cut)
