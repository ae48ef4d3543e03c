"""Single-key shortcuts without surprises: fields keep the keys people type into them.

The queue's actions answer to plain keys (J, K, N, X, Enter, the arrows) anywhere in the
window. A field being typed in must keep them: Enter in the search box must not claim a case,
Down in a THRIVE field must not move to another case. :class:`KeyGuard` claims those keys for
the widgets it watches (Qt asks with a ShortcutOverride event) and can turn Enter and Esc into
"go back to the queue".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

_PLAIN = (
    Qt.KeyboardModifier.NoModifier,
    Qt.KeyboardModifier.ShiftModifier,
)
_ENTER = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_ARROWS = (Qt.Key.Key_Up, Qt.Key.Key_Down)
_TYPED = (QLineEdit, QComboBox, QPlainTextEdit, QTextEdit, QAbstractSpinBox, QListWidget)


def _typed_into(widget: QObject) -> bool:
    """Tell whether people type into ``widget`` (a read-only text or a list only scrolls)."""
    if isinstance(widget, (QPlainTextEdit, QTextEdit)):
        return not widget.isReadOnly()
    return isinstance(widget, (QLineEdit, QComboBox, QAbstractSpinBox))


def _plain(event: QKeyEvent) -> bool:
    modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
    return modifiers in _PLAIN


class KeyGuard(QObject):
    """Lets fields keep typed keys, Enter and arrows; buttons keep Enter; lists keep arrows.

    ``on_escape`` (optional) is called when Esc is pressed in a watched widget, instead of the
    window's Esc shortcut. ``on_enter`` (optional) is called for Enter in a line edit.
    """

    def __init__(
        self,
        parent: QObject,
        on_escape: Callable[[], None] | None = None,
        on_enter: Callable[[QWidget], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._on_escape = on_escape
        self._on_enter = on_enter

    def watch(self, widgets: Iterable[QWidget]) -> None:
        """Guard each of ``widgets`` (fields and buttons; others are left alone)."""
        for widget in widgets:
            if isinstance(widget, (*_TYPED, QAbstractButton)):
                widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Claim the keys a field needs; route Enter and Esc when asked to."""
        kind = event.type()
        if kind not in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress):
            return False
        assert isinstance(event, QKeyEvent)
        if not _plain(event):
            return False
        key = event.key()
        typed = _typed_into(watched)
        if kind == QEvent.Type.ShortcutOverride:
            if typed:
                keep = key in _ENTER or key < Qt.Key.Key_Escape or key in _ARROWS
            elif isinstance(watched, QAbstractButton):
                keep = key in _ENTER
            else:  # a read-only text or a list: the arrows scroll it, letters stay shortcuts
                keep = key in _ARROWS
            if key == Qt.Key.Key_Escape and self._on_escape is not None:
                keep = True
            if keep:
                event.accept()
                return True
            return False
        # a key press the widget is about to get
        if key == Qt.Key.Key_Escape and self._on_escape is not None:
            self._on_escape()
            return True
        if key in _ENTER and isinstance(watched, QAbstractButton):
            watched.click()  # Enter presses the focused button, as in a dialog
            return True
        if key in _ENTER and self._on_enter is not None and isinstance(watched, QLineEdit):
            self._on_enter(watched)
            return True
        return False


def shortcut_text(action: QAction) -> str:
    """Return an action's keys as people say them: 'Enter', 'J, Down', 'Ctrl+I'."""
    seen: list[str] = []
    for sequence in action.shortcuts():
        text = sequence.toString(QKeySequence.SequenceFormat.NativeText)
        text = {"Return": "Enter", "Esc": "Esc"}.get(text, text)
        if text and text not in seen:
            seen.append(text)
    return ", ".join(seen)


def action_name(action: QAction) -> str:
    """Return an action's text without its mnemonic marker and trailing dots."""
    return action.text().replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")
