"""Another workstation's claim shows in this window within a second, without a refresh.

Two Desks, each with its own database engine (as two workstations have), drive one main
window each, on one SQLite file (the poll; on the run's PostgreSQL server when the suite runs
there). Two data folders on one PostgreSQL server: tests/gui/test_live_postgres.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

from desk.core.cases import Outcome
from desk.core.roles import Role
from desk.gui.main_window import MainWindow
from desk.gui.queue_model import COL_OWNER, COL_TEXT
from desk.gui.workers import Worker
from desk.services.desk import Desk
from desk.store.db import Database
from tests.conftest import Person, Staffed, next_code
from tests.gui.conftest import settle
from tests.gui.queue_fixtures import cell, fill_queue, wait_ready
from tests.services.helpers import item

SHOWN_WITHIN_MS = 1000


@contextmanager
def window_on(
    qtbot: QtBot, desk: Desk, person: Person, clock, worker: Worker
) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """Sign ``person`` in on ``desk`` and open a main window; close it (and its watcher) after."""
    signed = desk.signin.sign_in(person.username, person.password, next_code(person.seed, clock))
    window = MainWindow(desk, signed, worker)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    wait_ready(qtbot, window)
    qtbot.waitUntil(lambda: window.queue.live.cursor is not None, timeout=10_000)
    try:
        yield window
    finally:
        window.close()
        qtbot.waitUntil(lambda: not window.queue.live.watching, timeout=10_000)
        settle(qtbot, window)


def row_owner(window: MainWindow, case_id: int) -> str | None:
    """The owner the window's queue row holds for ``case_id`` (None: no owner or not shown)."""
    model = window.queue.model
    index = model.row_of(case_id)
    row = None if index is None else model.row_at(index, fetch=False)
    return None if row is None else row.owner


def owner_cell(window: MainWindow, case_id: int) -> str:
    """The Owner cell's text for ``case_id`` (it also says who is viewing the case)."""
    index = window.queue.model.row_of(case_id)
    return "" if index is None else cell(window, index, COL_OWNER)


def claim_seen_by_the_other(
    qtbot: QtBot, first: MainWindow, second: MainWindow, staffed: Staffed
) -> None:
    """The first window claims the case both show; the second shows it within a second."""
    case_id = first.queue.case_id
    assert case_id is not None and second.queue.case_id == case_id
    assert row_owner(second, case_id) is None
    first.queue.claim()
    qtbot.waitUntil(lambda: row_owner(first, case_id) == "jsmith", timeout=10_000)
    qtbot.waitUntil(lambda: row_owner(second, case_id) == "jsmith", timeout=SHOWN_WITHIN_MS)
    assert owner_cell(second, case_id).startswith("jsmith")
    pane = second.ui.casePane  # the open case reloads too: its timeline says who claimed it
    qtbot.waitUntil(
        lambda: pane.detail is not None and pane.detail.row.owner == "jsmith",
        timeout=SHOWN_WITHIN_MS,
    )
    assert pane.timeline_texts()[-1].endswith("jsmith · claimed")


def test_two_windows_on_one_sqlite_file_see_each_others_claims(
    qtbot: QtBot, staffed: Staffed, worker: Worker
) -> None:
    fill_queue(staffed)
    d = staffed.desk
    kim = supervisor(staffed)
    url = None if d.ctx.db.is_sqlite else d.ctx.db.url
    other = Desk.open(d.profile, staffed.clock, None if url is None else Database(url))
    try:
        with (
            window_on(qtbot, d, staffed.operator, staffed.clock, worker) as first,
            window_on(qtbot, other, kim, staffed.clock, worker) as second,
        ):
            claim_seen_by_the_other(qtbot, first, second, staffed)
            # presence: the second window shows that jsmith is looking at the case
            label = second.ui.casePane.ui.presenceLabel
            qtbot.waitUntil(lambda: "jsmith" in label.text(), timeout=SHOWN_WITHIN_MS * 2)
    finally:
        other.close()


def test_a_stale_close_is_refused_and_the_case_shown_afresh(
    qtbot: QtBot, staffed: Staffed, worker: Worker
) -> None:
    """A close from a view the other workstation has since changed names who changed it."""
    fill_queue(staffed)
    d = staffed.desk
    kim = supervisor(staffed)
    with window_on(qtbot, d, kim, staffed.clock, worker) as window:
        model = window.queue.model
        quiet = next(
            i for i in range(model.rowCount()) if not model.row_at(i, fetch=False).needs_thrive
        )
        window.queue.select(quiet)
        case_id = model.row_at(quiet, fetch=False).case_id
        pane = window.ui.casePane
        qtbot.waitUntil(lambda: pane.detail is not None and pane.detail.row.case_id == case_id)
        jo = staffed.sign_in(staffed.operator)
        window.queue.live.pause()  # as if the wake-up had not come yet
        d.cases.claim(jo, case_id)
        window.queue.close_case()
        assert window.shell.dialog is not None
        window.queue.close_with(Outcome.NO_ACTION)
        qtbot.waitUntil(lambda: "look again before you act" in (window.notice_text or ""))
        assert window.notice_text.startswith(f"Case #{case_id} was changed by jsmith at ")
        assert "(claimed)" in window.notice_text
        qtbot.waitUntil(lambda: pane.detail is not None and pane.detail.row.owner == "jsmith")
        assert d.queue.detail(jo, case_id).row.status != "closed"
        window.queue.live.resume()
        for box in window.findChildren(QMessageBox):
            box.close()


def supervisor(staffed: Staffed) -> Person:
    """Add Kim, a supervisor (who may close a case someone else owns)."""
    password = staffed.operator.password
    made = staffed.desk.accounts.add_user(
        staffed.admin_token, "kwong", "Kim Wong", Role.SUPERVISOR, password
    )
    return Person("kwong", password, made.seed, Role.SUPERVISOR)


def test_items_another_workstation_imports_appear_in_the_queue(
    qtbot: QtBot, staffed: Staffed, worker: Worker
) -> None:
    fill_queue(staffed)
    d = staffed.desk
    url = None if d.ctx.db.is_sqlite else d.ctx.db.url
    other = Desk.open(d.profile, staffed.clock, None if url is None else Database(url))
    try:
        with window_on(qtbot, d, staffed.operator, staffed.clock, worker) as window:
            before = window.queue.model.rowCount()
            other.importer.store(
                staffed.admin_token,
                [item("new-1", "Is the station open?", author="u99", handle="@new", thread=None)],
                "elsewhere",
            )
            qtbot.waitUntil(
                lambda: window.queue.model.rowCount() == before + 1, timeout=SHOWN_WITHIN_MS
            )
            texts = [cell(window, r, COL_TEXT) for r in range(before + 1)]
            assert any(t.startswith("Is the station open?") for t in texts)
    finally:
        other.close()
