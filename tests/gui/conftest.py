"""GUI fixtures: a worker pool, controllers and windows that are closed before the desk is."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from desk.gui.controller import DeskController
from desk.gui.login_dialog import LoginDialog
from desk.gui.main_window import MainWindow
from desk.gui.workers import Worker
from desk.services.desk import Desk
from tests.conftest import Person, Staffed, next_code


@pytest.fixture
def worker(qtbot: QtBot, desk: Desk) -> Iterator[Worker]:
    """A worker pool, drained before the desk closes (hence the dependency on ``desk``)."""
    made = Worker()
    yield made
    made.wait()
    # deliver what the pool answered while this test's objects still exist: a delivery left
    # queued would run in the next test, where a garbage collection may free its worker
    # while it runs
    qtbot.waitUntil(lambda: not made.busy, timeout=10_000)


@pytest.fixture
def make_controller(qtbot: QtBot, desk: Desk) -> Iterator[Callable[..., DeskController]]:
    """Make controllers (sequencing the windows) that are shut down after the test."""
    made: list[DeskController] = []

    def make(desk: Desk, **kwargs: Any) -> DeskController:
        controller = DeskController(desk, **kwargs)
        made.append(controller)
        return controller

    yield make
    for controller in made:
        controller.shutdown()


@pytest.fixture
def make_window(
    qtbot: QtBot, worker: Worker, staffed: Staffed
) -> Callable[..., tuple[MainWindow, str]]:
    """Sign a person in (next fresh code) and open a main window for them."""

    def make(person: Person, **kwargs: Any) -> tuple[MainWindow, str]:
        code = next_code(person.seed, staffed.clock)
        result = staffed.desk.signin.sign_in(person.username, person.password, code)
        window = MainWindow(staffed.desk, result, worker, **kwargs)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window, result.token

    return make


def type_into(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    """Replace a field's text by typing, as a person would."""
    field.clear()
    qtbot.keyClicks(field, text)


def submit_login(
    qtbot: QtBot, dialog: LoginDialog, worker: Worker, username: str, password: str, code: str
) -> None:
    """Type the three fields, press Sign in, and wait until the check has answered."""
    type_into(qtbot, dialog.ui.usernameEdit, username)
    type_into(qtbot, dialog.ui.passwordEdit, password)
    type_into(qtbot, dialog.ui.codeEdit, code)
    qtbot.mouseClick(dialog.ui.signInButton, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not worker.busy, timeout=10_000)


def activate(qtbot: QtBot, widget: Any) -> None:
    """Make ``widget`` the active window, asking again until it is.

    One request can be overtaken by another window's own activation (the main window's, just
    shown) when the machine is loaded; a person would simply click the window.
    """

    def active() -> bool:
        if not widget.isActiveWindow():
            widget.activateWindow()
        return bool(widget.isActiveWindow())

    qtbot.waitUntil(active)


def settle(qtbot: QtBot, window: Any, timeout: int = 10_000) -> None:
    """Wait until every operation the window started (service calls off the GUI thread) ended."""
    shell = getattr(window, "shell", window)
    qtbot.waitUntil(lambda: not shell.busy, timeout=timeout)
