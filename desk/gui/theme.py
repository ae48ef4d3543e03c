"""The house look: the application icon and the light style sheet."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QEvent
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QWidget

from desk.resources import resource_path

log = logging.getLogger(__name__)


def app_icon() -> QIcon:
    """Return Desk's icon (an SVG drawn for Desk)."""
    return QIcon(str(resource_path("icons", "desk.svg")))


def style_sheet() -> str:
    """Return the light theme's Qt style sheet."""
    return resource_path("themes", "desk.qss").read_text(encoding="utf-8")


def apply_theme(app: QApplication) -> None:
    """Give the application the Fusion style, Desk's style sheet and icon."""
    app.setStyle("Fusion")
    try:
        app.setStyleSheet(style_sheet())
    except OSError:
        log.warning("the theme file is missing; using Qt's default look")
    app.setWindowIcon(app_icon())


def repolish(widget: QWidget) -> None:
    """Re-apply the style sheet after a dynamic property used by a selector changed.

    Polishing alone leaves a shown label's padding as it was (its text then touches the
    border); the StyleChange event makes the widget take the new box model too.
    """
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    QCoreApplication.sendEvent(widget, QEvent(QEvent.Type.StyleChange))
    widget.update()
