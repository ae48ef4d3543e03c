"""A hook for timing start-up: say when the first window is on screen, then quit.

With the environment variable ``DESK_STARTUP_PROBE`` set (to anything but empty), the
application prints the line :data:`SHOWN` on standard output as soon as its first top-level
window has been exposed and painted, and quits with exit status 0. The benchmark
(``python -m bench``, figure ``cold_start``) starts ``desk`` and a bare PySide6 window this
same way and measures the time to that line. Without the variable nothing is installed.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QWindow
from PySide6.QtWidgets import QApplication

ENV = "DESK_STARTUP_PROBE"
SHOWN = "desk-startup-shown"


class _Probe(QObject):
    """Watches for the first exposed top-level window."""

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self.app = app
        self.seen = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """On the first exposed top-level window, report once the event loop is idle."""
        if (
            not self.seen
            and event.type() == QEvent.Type.Expose
            and isinstance(watched, QWindow)
            and watched.isTopLevel()
            and watched.isExposed()
        ):
            self.seen = True
            # a zero timer runs after the expose event is handled: the window has painted
            QTimer.singleShot(0, self._report)
        return False

    def _report(self) -> None:
        sys.stdout.write(SHOWN + "\n")
        sys.stdout.flush()
        self.app.removeEventFilter(self)
        self.app.exit(0)


def install(app: QApplication) -> bool:
    """Watch for the first window if ``DESK_STARTUP_PROBE`` is set; return whether it is."""
    if not os.environ.get(ENV):
        return False
    app.installEventFilter(_Probe(app))
    return True
