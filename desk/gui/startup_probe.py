"""A hook for timing start-up: say when the first window is on screen, then quit.

With the environment variable ``DESK_STARTUP_PROBE`` set (to anything but empty), the
application prints the line :data:`SHOWN` on standard output as soon as its first top-level
window has been exposed and painted (checked each time the event loop goes idle), and quits
with exit status 0. The benchmark (``python -m bench``, figure ``cold_start``) starts ``desk``
and a bare PySide6 window this same way and measures the time to that line. Without the
variable nothing is installed.

With ``DESK_STARTUP_PROBE=ready`` the application goes on after that line until the profile
behind the login window is open and Sign in can be pressed (:func:`ready`, called by
``desk.gui.app``), prints :data:`READY` and quits then: the benchmark's second time.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QAbstractEventDispatcher, QObject
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

ENV = "DESK_STARTUP_PROBE"
SHOWN = "desk-startup-shown"
READY = "desk-startup-ready"
UNTIL_READY = "ready"


class _Probe(QObject):
    """Watches, each time the event loop goes idle, for the first exposed top-level window.

    It listens to the event dispatcher's ``aboutToBlock`` rather than filtering every event
    of the application: a filter in Python is called for each event of each widget, and
    wrapping those objects for Python cost Desk's login window ~25 ms that a start without
    the probe never pays (docs/performance.md, cold start).
    """

    def __init__(self, app: QApplication, until_ready: bool) -> None:
        super().__init__(app)
        self.app = app
        self.until_ready = until_ready
        self.seen = False
        self.reported = False
        self.ready = False
        self.dispatcher: QAbstractEventDispatcher | None = None

    def watch(self) -> None:
        """Start watching the GUI thread's event loop."""
        self.dispatcher = QAbstractEventDispatcher.instance(self.app.thread())
        assert self.dispatcher is not None, "the QApplication makes the dispatcher"
        self.dispatcher.aboutToBlock.connect(self._idle)

    def _idle(self) -> None:
        """The loop has nothing left to do: any window exposed by now has been painted."""
        if self.seen or not any(
            window.isTopLevel() and window.isExposed()
            for window in QGuiApplication.topLevelWindows()
        ):
            return
        self.seen = True
        if self.dispatcher is not None:
            self.dispatcher.aboutToBlock.disconnect(self._idle)
        # at once: the probe listens first, before any work the window starts when idle (the
        # login window's profile opening) can take the interpreter lock from this thread
        self._report()

    def _report(self) -> None:
        sys.stdout.write(SHOWN + "\n")
        sys.stdout.flush()
        self.reported = True
        if not self.until_ready or self.ready:
            self._finish()

    def _finish(self) -> None:
        if self.until_ready:
            sys.stdout.write(READY + "\n")
            sys.stdout.flush()
        self.app.exit(0)

    def mark_ready(self) -> None:
        """The profile is open and Sign in can be pressed."""
        self.ready = True
        if self.until_ready and self.reported:
            self._finish()


_installed: list[_Probe] = []


def install(app: QApplication) -> bool:
    """Watch for the first window if ``DESK_STARTUP_PROBE`` is set; return whether it is."""
    value = os.environ.get(ENV)
    _installed.clear()
    if not value:
        return False
    probe = _Probe(app, until_ready=value == UNTIL_READY)
    _installed.append(probe)
    probe.watch()
    return True


def ready() -> None:
    """Tell the probe (if any) that the profile is open behind the login window."""
    for probe in _installed:
        probe.mark_ready()
