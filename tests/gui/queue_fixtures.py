"""Queues for GUI tests: a handful of realistic cases, or thousands of plain ones."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from desk.core.items import ItemKind, Platform
from desk.gui.main_window import MainWindow
from desk.gui.queue_model import QueueModel
from tests.conftest import Staffed
from tests.services.helpers import item

MakeWindow = Callable[..., tuple[MainWindow, str]]

SELF_HARM = "I can't go on, I'm going to end it all tonight"
KNIFE = "There's a man with a knife outside the Co-op on Station Road RIGHT NOW"
WELSH = "Diolch yn fawr iawn am eich help heddiw, roedd y swyddogion yn garedig iawn"


def add_accounts(staffed: Staffed) -> None:
    """Add the official accounts the test items arrive on."""
    d, admin = staffed.desk, staffed.admin_token
    d.official_accounts.add(admin, Platform.X, "@ExampleshirePolice", "Exampleshire Police")
    d.official_accounts.add(admin, Platform.FACEBOOK, "Exampleshire Police")


def fill_queue(staffed: Staffed) -> None:
    """Six cases of every sort: P1 self-harm, P1 knife, Welsh, a mention, Facebook, a question."""
    staffed.clock.advance(minutes=10)  # the items below arrived in the last few minutes
    add_accounts(staffed)
    staffed.desk.importer.store(
        staffed.admin_token,
        [
            item("1", "What time does the road reopen? Also is the bus diverted?", minutes=1),
            item("2", SELF_HARM, author="u2", handle="@cat", minutes=2),
            item(
                "3",
                "Great work today officers",
                author="u3",
                handle="@gus",
                thread=None,
                minutes=3,
                kind=ItemKind.MENTION,
            ),
            item(
                "4",
                "Lovely community event",
                author="u4",
                handle="Ian Moss",
                minutes=4,
                platform=Platform.FACEBOOK,
                account="Exampleshire Police",
            ),
            item("5", KNIFE, author="u5", handle="@ffion_w", thread=None, minutes=5),
            item("6", WELSH, author="u6", handle="@dewi", thread=None, minutes=6),
        ],
        "test",
    )


def many_cases(staffed: Staffed, n: int) -> None:
    """Store ``n`` cases, one per item (different authors, no threads)."""
    staffed.clock.advance(minutes=10)
    add_accounts(staffed)
    staffed.desk.importer.store(
        staffed.admin_token,
        [
            item(f"m{i}", f"message number {i}", author=f"a{i}", handle=f"@a{i}", thread=None)
            for i in range(n)
        ],
        "many",
    )


def loaded(model: QueueModel) -> bool:
    """Tell whether the model has answered its last refresh."""
    return not model.loading


def wait_ready(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until the queue is fetched and the selected case is shown in full."""
    controller = window.queue
    qtbot.waitUntil(lambda: loaded(controller.model), timeout=10_000)

    def shown() -> bool:
        if controller.model.rowCount() == 0:
            return True
        detail = window.ui.casePane.detail
        return detail is not None and detail.row.case_id == controller.case_id

    qtbot.waitUntil(shown, timeout=10_000)


def cell(window: MainWindow, row: int, column: int) -> str:
    """Return a queue cell's text."""
    model = window.queue.model
    return str(model.data(model.index(row, column)) or "")


def dismiss_call_for_service(qtbot: QtBot, window: MainWindow) -> None:
    """Cancel the call-for-service form Desk opens after acting on an immediate-risk case."""
    qtbot.waitUntil(lambda: window.escalations.dialog is not None)
    window.escalations.dialog.reject()
    qtbot.waitUntil(lambda: window.escalations.dialog is None)
