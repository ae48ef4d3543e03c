"""Notice when nobody has used the keyboard or mouse for a while (the idle lock)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, QTimer, Signal

_INPUT_EVENTS = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.KeyRelease,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseButtonRelease,
        QEvent.Type.MouseButtonDblClick,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
        QEvent.Type.TouchUpdate,
        QEvent.Type.TabletPress,
        QEvent.Type.InputMethod,
    }
)


class IdleWatcher(QObject):
    """Emits ``went_idle`` after ``interval_ms`` with no keyboard or mouse input anywhere."""

    went_idle = Signal()

    def __init__(self, interval_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, interval_ms))
        self._timer.timeout.connect(self.went_idle)
        self._watching = False
        app = QCoreApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def interval_ms(self) -> int:
        """How long without input before ``went_idle``."""
        return self._timer.interval()

    def set_interval(self, interval_ms: int) -> None:
        """Change how long without input locks (a changed setting); counting restarts."""
        self._timer.setInterval(max(1, interval_ms))
        if self._watching:
            self._timer.start()

    def start(self) -> None:
        """Start (or restart) counting idle time."""
        self._watching = True
        self._timer.start()

    def stop(self) -> None:
        """Stop counting (while locked, or when the window goes)."""
        self._watching = False
        self._timer.stop()

    def dispose(self) -> None:
        """Stop for good and stop seeing the application's events."""
        self.stop()
        app = QCoreApplication.instance()
        if app is not None:
            app.removeEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Restart the count on any keyboard or mouse input; never consume the event."""
        if self._watching and event.type() in _INPUT_EVENTS:
            self._timer.start()
        return False
