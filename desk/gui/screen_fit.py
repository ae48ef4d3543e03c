"""Windows sized to fit the screen they open on (a workstation may be 1280x800)."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget


def fit_to_screen(window: QWidget, width: int, height: int) -> None:
    """Resize ``window`` to ``width`` x ``height``, but never past its screen or main window."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    if screen is not None:
        area = screen.availableGeometry()
        width = min(width, area.width() - 40)
        height = min(height, area.height() - 60)
    parent = window.parentWidget()
    if parent is not None and parent.window().isVisible():
        width = min(width, parent.window().width())
        height = min(height, parent.window().height())
    window.resize(width, height)
