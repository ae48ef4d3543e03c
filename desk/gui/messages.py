"""Telling people things: inline message labels, and message boxes that do not block."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from desk.gui.theme import repolish

# The login window, a cold start's first, imports this module: the message box and the Qt
# namespace (each ~2 and ~15 ms to make in PySide6) are imported when a box is first shown.
if TYPE_CHECKING:
    from PySide6.QtWidgets import QMessageBox

MESSAGE_OBJECT_NAME = "deskMessage"


def show_message(
    parent: QWidget | None,
    title: str,
    text: str,
    icon: QMessageBox.Icon | None = None,
    object_name: str = MESSAGE_OBJECT_NAME,
) -> QMessageBox:
    """Open a window-modal message over ``parent`` and return it (it deletes itself on close).

    ``icon`` defaults to a warning.
    """
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    icon = QMessageBox.Icon.Warning if icon is None else icon
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName(object_name)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    box.open()
    return box


def set_message(label: QLabel, text: str, kind: str = "error") -> None:
    """Show ``text`` in an inline message label styled by ``kind`` ('error' or 'info').

    The text is shown as plain text (messages quote handles and item text), unless the label
    was set to rich text on purpose.
    """
    from PySide6.QtCore import Qt

    if label.textFormat() == Qt.TextFormat.AutoText:
        label.setTextFormat(Qt.TextFormat.PlainText)
    label.setProperty("kind", kind)
    label.setText(text)
    label.setVisible(bool(text))
    repolish(label)
    if text:
        grow_to_fit(label.window())


def grow_to_fit(window: QWidget) -> None:
    """Make a dialog tall enough for wrapped text that just appeared (Qt does not by itself)."""
    layout = window.layout()
    if layout is None or isinstance(window, QMainWindow) or not window.isVisible():
        return
    layout.activate()
    if layout.hasHeightForWidth():
        needed = layout.totalMinimumHeightForWidth(window.width())
    else:
        needed = layout.totalMinimumSize().height()
    if needed > window.height():
        window.resize(window.width(), needed)
