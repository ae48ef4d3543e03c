"""Scrolling a pane never changes a value: a combo or spin box takes the wheel only with focus.

An operator scrolling the case pane with the mouse wheel once turned a saved "Immediate" THRIVE
grade into "Appointment (7 days)" as the pointer passed over the grade box. Installed once on
the application, :class:`WheelGuard` sends the wheel of an unfocused combo box, spin box or
slider to the scroll area around it instead (or nowhere, outside one).
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QAbstractSlider,
    QAbstractSpinBox,
    QComboBox,
    QScrollBar,
    QWidget,
)

_VALUE_WIDGETS = (QComboBox, QAbstractSpinBox, QAbstractSlider)


class WheelGuard(QObject):
    """Lets a value widget take the wheel only while it has keyboard focus."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Pass an unfocused value widget's wheel to its parent (which scrolls)."""
        if event.type() != QEvent.Type.Wheel:
            return False
        if not isinstance(watched, _VALUE_WIDGETS) or isinstance(watched, QScrollBar):
            return False
        assert isinstance(watched, QWidget)
        if watched.hasFocus():
            return False
        parent = watched.parentWidget()
        while parent is not None and not isinstance(parent, QAbstractScrollArea):
            parent = parent.parentWidget()
        if parent is not None:  # the pane scrolls as if the widget were not there
            QCoreApplication.sendEvent(parent.viewport(), event)
        return True


def install_wheel_guard() -> WheelGuard | None:
    """Install the guard on the running application, once; return it."""
    app = QCoreApplication.instance()
    if app is None:
        return None
    found = app.findChild(WheelGuard, "wheelGuard")
    if isinstance(found, WheelGuard):
        return found
    guard = WheelGuard(app)
    guard.setObjectName("wheelGuard")
    app.installEventFilter(guard)
    return guard
