"""The small dialogs of case work: a note or a reason, a choice, and closing with an outcome.

Each dialog says ``submitted`` with what was entered and stays open: the controller calls the
service, then ``finish()`` closes it, or ``refuse(message)`` shows the service's answer inside
it, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QListWidgetItem, QPushButton, QWidget

from desk.core.cases import Outcome
from desk.gui.forms.ui_choice_dialog import Ui_ChoiceDialog
from desk.gui.forms.ui_close_dialog import Ui_CloseDialog
from desk.gui.forms.ui_text_entry_dialog import Ui_TextEntryDialog
from desk.gui.labels import outcome_label
from desk.gui.messages import set_message


def _ok_button(box: QDialogButtonBox, text: str) -> QPushButton:
    button = box.button(QDialogButtonBox.StandardButton.Ok)
    button.setText(text)
    button.setDefault(True)
    return button


def _save_on_ctrl_enter(dialog: QDialog, target: Callable[[], None]) -> None:
    for keys in ("Ctrl+Return", "Ctrl+Enter"):
        shortcut = QShortcut(QKeySequence(keys), dialog)
        shortcut.activated.connect(target)


class TextEntryDialog(QDialog):
    """Asks for a text (a note, a reason); it cannot be empty."""

    submitted = Signal(str)

    def __init__(
        self, title: str, prompt: str, ok_text: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_TextEntryDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setWindowTitle(title)
        self.ui.promptLabel.setText(prompt)
        self.ok_button = _ok_button(self.ui.buttonBox, ok_text)
        self.ok_button.setEnabled(False)
        self.ui.textEdit.textChanged.connect(self._changed)
        self.ui.buttonBox.accepted.connect(self._submit)
        self.ui.buttonBox.rejected.connect(self.reject)
        _save_on_ctrl_enter(self, self._submit)
        set_message(self.ui.messageLabel, "")
        self.ui.textEdit.setFocus()

    @property
    def text(self) -> str:
        """What is typed."""
        return self.ui.textEdit.toPlainText()

    def _changed(self) -> None:
        self.ok_button.setEnabled(bool(self.text.strip()))

    def _submit(self) -> None:
        if self.text.strip():
            self.submitted.emit(self.text)

    def refuse(self, message: str) -> None:
        """Show why the service refused; keep what was typed."""
        set_message(self.ui.messageLabel, message)

    def finish(self) -> None:
        """Close after the service accepted."""
        self.accept()


class ChoiceDialog(QDialog):
    """Asks to choose one of a few things (an account, a person)."""

    submitted = Signal(object)

    def __init__(
        self,
        title: str,
        prompt: str,
        choices: Iterable[tuple[str, object]],
        ok_text: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_ChoiceDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setWindowTitle(title)
        self.ui.promptLabel.setText(prompt)
        self._values: list[object] = []
        for text, value in choices:
            self.ui.choiceCombo.addItem(text)
            self._values.append(value)
        self.ok_button = _ok_button(self.ui.buttonBox, ok_text)
        self.ok_button.setEnabled(bool(self._values))
        self.ui.buttonBox.accepted.connect(self._submit)
        self.ui.buttonBox.rejected.connect(self.reject)
        set_message(self.ui.messageLabel, "")
        self.ui.choiceCombo.setFocus()

    @property
    def value(self) -> object:
        """The chosen value (None when there is nothing to choose)."""
        index = self.ui.choiceCombo.currentIndex()
        return self._values[index] if 0 <= index < len(self._values) else None

    def choose(self, text: str) -> None:
        """Choose the entry shown as ``text``."""
        found = self.ui.choiceCombo.findText(text)
        if found < 0:
            raise ValueError(f"no choice {text!r}")
        self.ui.choiceCombo.setCurrentIndex(found)

    def _submit(self) -> None:
        if self.value is not None:
            self.submitted.emit(self.value)

    def refuse(self, message: str) -> None:
        """Show why the service refused."""
        set_message(self.ui.messageLabel, message)

    def finish(self) -> None:
        """Close after the service accepted."""
        self.accept()


class CloseDialog(QDialog):
    """Close one case (or a group) with an outcome and an optional note."""

    submitted = Signal(object, str)  # Outcome, note

    def __init__(
        self,
        title: str,
        intro: str,
        ok_text: str,
        cases: Iterable[str] = (),
        blocked: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_CloseDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setWindowTitle(title)
        self.ui.introLabel.setText(intro)
        listed = list(cases)
        self.ui.casesList.addItems(listed)
        self.ui.casesList.setVisible(bool(listed))
        for outcome in Outcome:
            entry = QListWidgetItem(outcome_label(outcome))
            entry.setData(Qt.ItemDataRole.UserRole, outcome.value)
            self.ui.outcomeList.addItem(entry)
        self.ok_button = _ok_button(self.ui.buttonBox, ok_text)
        self.ui.outcomeList.itemSelectionChanged.connect(self._changed)
        self.ui.buttonBox.accepted.connect(self._submit)
        self.ui.buttonBox.rejected.connect(self.reject)
        _save_on_ctrl_enter(self, self._submit)
        self._blocked = bool(blocked)
        set_message(self.ui.messageLabel, blocked)
        self._changed()
        self.ui.outcomeList.installEventFilter(self)
        self.ui.outcomeList.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The first Down chooses the first outcome (Qt would skip to the second)."""
        if (
            watched is self.ui.outcomeList
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)
            and not self.ui.outcomeList.selectedItems()
        ):
            last = self.ui.outcomeList.count() - 1
            self.ui.outcomeList.setCurrentRow(0 if event.key() == Qt.Key.Key_Down else last)
            return True
        return super().eventFilter(watched, event)

    @property
    def outcome(self) -> Outcome | None:
        """The chosen outcome, if any."""
        entry = self.ui.outcomeList.currentItem()
        if entry is None or not entry.isSelected():
            return None
        return Outcome(entry.data(Qt.ItemDataRole.UserRole))

    def choose(self, outcome: Outcome) -> None:
        """Choose ``outcome`` in the list."""
        for row in range(self.ui.outcomeList.count()):
            if self.ui.outcomeList.item(row).data(Qt.ItemDataRole.UserRole) == outcome.value:
                self.ui.outcomeList.setCurrentRow(row)
                return

    @property
    def note(self) -> str:
        """The note typed."""
        return self.ui.noteEdit.toPlainText()

    def _changed(self, *_args: object) -> None:
        self.ok_button.setEnabled(self.outcome is not None and not self._blocked)

    def _submit(self) -> None:
        outcome = self.outcome
        if outcome is not None and not self._blocked:
            self.submitted.emit(outcome, self.note)

    def refuse(self, message: str) -> None:
        """Show why the service refused (THRIVE missing, owned by someone else...)."""
        set_message(self.ui.messageLabel, message)

    def finish(self) -> None:
        """Close after the service accepted."""
        self.accept()
