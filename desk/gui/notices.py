"""What the desk just said: the status bar's notice, notices that wait to be done, and history.

A plain notice ("You claimed case #12.") shows for a while and then clears. A notice that asks
the operator to do something ("finish the removal on the platform") stays until dismissed. The
last notices can always be read again (Ctrl+Shift+M), so nothing said is lost.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from desk.core.clock import Clock

LINGER_MS = 20_000
KEEP = 100


@dataclass(frozen=True)
class Notice:
    """One thing the desk said: ``to_do`` notices stay until dismissed."""

    text: str
    at: datetime
    to_do: bool = False
    warning: bool = False


class Notices(QObject):
    """The window's notices: the one showing now and the last ``KEEP`` said."""

    changed = Signal()  # the notice showing now changed (or cleared)

    def __init__(self, clock: Clock, parent: QObject | None = None, linger_ms: int = LINGER_MS):
        super().__init__(parent)
        self._clock = clock
        self._history: deque[Notice] = deque(maxlen=KEEP)
        self._current: Notice | None = None
        self._waiting: list[Notice] = []  # to-do notices not yet dismissed, oldest first
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(linger_ms)
        self._timer.timeout.connect(self._lapse)

    def say(self, text: str, *, to_do: bool = False, warning: bool = False) -> Notice:
        """Show ``text`` now and keep it in the history; ``to_do`` keeps it until dismissed."""
        notice = Notice(text, self._clock.now(), to_do, warning or to_do)
        self._history.append(notice)
        if to_do:
            self._waiting.append(notice)
        self._show(notice)
        return notice

    def dismiss(self) -> None:
        """Mark the notice showing now as done; the next waiting one (if any) shows."""
        current = self._current
        if current is not None and current in self._waiting:
            self._waiting.remove(current)
        self._current = None
        self._timer.stop()
        if self._waiting:
            self._show(self._waiting[-1])
        else:
            self.changed.emit()

    @property
    def current(self) -> Notice | None:
        """The notice showing now, or None."""
        return self._current

    @property
    def waiting(self) -> list[Notice]:
        """Notices that ask for something and were not dismissed, oldest first."""
        return list(self._waiting)

    @property
    def history(self) -> list[Notice]:
        """The last notices said, newest first."""
        return list(reversed(self._history))

    def _show(self, notice: Notice) -> None:
        self._current = notice
        if notice.to_do:
            self._timer.stop()
        else:
            self._timer.start()
        self.changed.emit()

    def _lapse(self) -> None:
        """A plain notice has been read: show what still waits, else nothing."""
        self._current = self._waiting[-1] if self._waiting else None
        self.changed.emit()
