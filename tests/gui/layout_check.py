"""Find what a window cuts off: push buttons narrower than their text, labels too small for theirs.

A label or button may elide on purpose (a long notice, with the whole text one key away): it
says so with the dynamic property ``elides`` set to True, and is not counted.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

SLACK = 1  # pixels of rounding


def _elides(widget: QWidget) -> bool:
    return bool(widget.property("elides"))


def _name(widget: QWidget) -> str:
    text = widget.text() if isinstance(widget, (QLabel, QPushButton)) else ""
    text = text.replace("\n", " ")
    short = text if len(text) <= 60 else text[:57] + "..."
    return f"{type(widget).__name__} {widget.objectName() or '?'} {short!r}"


def clipped(window: QWidget) -> list[str]:
    """What in ``window`` (and the widgets inside it) does not show its whole text."""
    found = []
    for button in window.findChildren(QPushButton):
        if not button.isVisibleTo(window) or not button.text() or _elides(button):
            continue
        if button.width() + SLACK < button.sizeHint().width():
            found.append(f"{_name(button)}: {button.width()} px < {button.sizeHint().width()}")
    for label in window.findChildren(QLabel):
        if not label.isVisibleTo(window) or not label.text().strip() or _elides(label):
            continue
        if label.window() is not window:
            continue
        if label.wordWrap():
            need = label.heightForWidth(label.width())
            if need > label.height() + SLACK:
                found.append(f"{_name(label)}: {label.height()} px high < {need}")
            continue
        hint = label.sizeHint()
        if label.width() + SLACK < hint.width() or label.height() + SLACK < hint.height():
            found.append(
                f"{_name(label)}: {label.width()}x{label.height()} < {hint.width()}x{hint.height()}"
            )
    return found


def too_big(window: QWidget, width: int, height: int) -> list[str]:
    """Say so if ``window`` is larger than the screen it must fit."""
    if window.width() > width or window.height() > height:
        return [f"{_name(window)} is {window.width()}x{window.height()}, over {width}x{height}"]
    return []


def top_levels() -> set[QWidget]:
    """The visible top-level windows and dialogs."""
    from PySide6.QtWidgets import QApplication

    return {
        w
        for w in QApplication.topLevelWidgets()
        if w.isVisible() and w.windowType() != Qt.WindowType.ToolTip
    }
