"""Other workstations' changes, shown within a second: the change feed turned into Qt signals.

The desk's watcher (PostgreSQL LISTEN/NOTIFY, or a poll of a SQLite file) wakes
:class:`LiveUpdates` from its own thread; the wake-up is queued onto the GUI thread, which
asks the change feed (``desk.live.changes_since``) off the GUI thread, one read at a time, and
emits what changed: case ids (never ORM objects), "the queue changed", "presence changed".
:func:`wire_queue` connects those to the queue window's own reads: the queue, the open case,
the counts and who is looking at what.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from desk.gui.operations import QueryOp
from desk.gui.shell import Shell
from desk.services.live import ChangeCursor, Changes

log = logging.getLogger(__name__)


class LiveUpdates(QObject):
    """Says, on the GUI thread, what other workstations (and other windows) changed."""

    cases_changed = Signal(list)  # ids of cases changed elsewhere
    queue_changed = Signal()  # items arrived, escalations were acknowledged...: reload
    presence_changed = Signal()  # who looks at which case moved
    _woken = Signal()  # emitted from the watcher's thread; handled on the GUI thread

    def __init__(self, shell: Shell) -> None:
        super().__init__(shell)
        self.shell = shell
        self.desk = shell.desk
        self.cursor: ChangeCursor | None = None
        self._watch: Any = None
        self._pending = False  # a wake-up came while a read ran or the window was locked
        self._paused = False
        self._woken.connect(self.check, Qt.ConnectionType.QueuedConnection)
        shell.closing.connect(self.stop)

    @property
    def watching(self) -> bool:
        """Whether the watcher runs."""
        return self._watch is not None

    def start(self) -> None:
        """Take the cursor for now, then start the watcher."""
        if self._watch is not None or self.shell.ended:
            return
        self._watch = self.desk.live.watch(self._woken.emit)
        token, live = self.shell.token, self.desk.live
        QueryOp(self.shell, lambda: live.cursor(token), key="live cursor").success(
            self._cursor_arrived
        ).quiet().run()

    def _cursor_arrived(self, cursor: ChangeCursor) -> None:
        if self.cursor is None:
            self.cursor = cursor
        if self._pending:
            self.check()

    def stop(self) -> None:
        """Stop the watcher for good (the session is ending)."""
        watch, self._watch = self._watch, None
        if watch is not None:
            watch.close()

    def pause(self) -> None:
        """Hold wake-ups while the window is locked (one read catches up on resume)."""
        self._paused = True

    def resume(self) -> None:
        """Catch up on what changed while locked."""
        self._paused = False
        self.check()

    def check(self) -> None:
        """Ask the change feed what changed since the cursor (one read at a time)."""
        shell = self.shell
        if self._paused or shell.ended or shell.locked or self.cursor is None:
            self._pending = True
            return
        self._pending = False
        token, live, cursor = shell.token, self.desk.live, self.cursor
        started = (
            QueryOp(shell, lambda: live.changes_since(token, cursor), key="live changes")
            .success(self._arrived)
            .failure(self._refused)
            .quiet()
            .run()
        )
        if not started:
            self._pending = True  # the read running now ends by asking again

    def _refused(self, error: Exception) -> None:
        log.info("the change feed was not read: %s", getattr(error, "code", type(error).__name__))

    def _arrived(self, changes: Changes) -> None:
        self.cursor = changes.cursor
        if changes.case_ids:
            self.cases_changed.emit(list(changes.case_ids))
        if changes.queue_changed:
            self.queue_changed.emit()
        if changes.presence_changed:
            self.presence_changed.emit()
        if self._pending:
            self.check()


def wire_queue(live: LiveUpdates, view: Any, polls: Any) -> None:
    """Re-read the queue window's parts when ``live`` says they changed.

    ``view`` is the queue's :class:`~desk.gui.queue_view.QueueView`, ``polls`` its
    :class:`~desk.gui.queue_polls.QueuePolls`.
    """

    def cases(ids: list[int]) -> None:
        if view.case_id is not None and view.case_id in ids:
            view.load_detail(view.case_id)
        view.refresh_queue()
        polls.refresh_counts()

    def queue() -> None:
        view.refresh_all()
        polls.refresh_counts()

    live.cases_changed.connect(cases)
    live.queue_changed.connect(queue)
    live.presence_changed.connect(view.refresh_viewers)
