"""Periodic reads (counts, surges, the drop folder, deadlines) without busy flags by hand.

A :class:`Poller` runs its read off the GUI thread every interval. A tick that finds the last
run still going skips: one run at a time, however slow the database is.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QTimer

from desk.gui.operations import QueryOp
from desk.gui.shell import Shell


class Poller(QObject):
    """Run ``call`` every ``interval_ms`` (single-flight) and hand its result to ``on_result``.

    ``when`` (optional) is asked before each run: a poll is skipped while it says no (the
    window locked, the role lacks the permission). Errors are logged, except the session's
    own (lock, end), which are routed as for any operation.
    """

    def __init__(
        self,
        shell: Shell,
        name: str,
        interval_ms: int,
        call: Callable[[], Any],
        on_result: Callable[[Any], None],
        when: Callable[[], bool] | None = None,
    ) -> None:
        super().__init__(shell)
        self._shell = shell
        self._key = f"poll {name}"
        self._call = call
        self._on_result = on_result
        self._when = when
        self._paused = False
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.poll)
        shell.lock_changed.connect(self._lock_changed)
        shell.closing.connect(self.stop)

    def start(self, now: bool = True) -> None:
        """Start polling (and poll once now, unless ``now`` is False)."""
        self._paused = False
        self._timer.start()
        if now:
            self.poll()

    def stop(self) -> None:
        """Stop for good (the window is closing)."""
        self._timer.stop()

    def pause(self) -> None:
        """Skip polls until resumed (the window is locked)."""
        self._paused = True

    def resume(self) -> None:
        """Poll again, once now."""
        self._paused = False
        if self._timer.isActive():
            self.poll()

    def _lock_changed(self, locked: bool) -> None:
        if not locked and self._timer.isActive():
            self.poll()  # catch up at once after an unlock

    def poll(self) -> bool:
        """Run the read now unless paused, locked, not wanted or still running; True if started."""
        if self._paused or self._shell.ended or self._shell.locked:
            return False
        if self._when is not None and not self._when():
            return False
        op = QueryOp(self._shell, self._call, key=self._key)
        return bool(op.success(self._on_result).quiet().run())

    @property
    def active(self) -> bool:
        """Tell whether the poller's timer runs."""
        return self._timer.isActive()
