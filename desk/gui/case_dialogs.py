"""The small dialogs of case work: a note or a reason, a choice, closing, and redaction.

Each dialog says ``submitted`` with what was entered and stays open: the controller calls the
service, then ``finish()`` closes it, or ``refuse(message)`` shows the service's answer inside
it, so nothing typed is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import QCoreApplication, QEvent, QItemSelectionModel, QObject, Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desk.core.cases import Outcome
from desk.gui.forms.ui_choice_dialog import Ui_ChoiceDialog
from desk.gui.forms.ui_close_dialog import Ui_CloseDialog
from desk.gui.forms.ui_text_entry_dialog import Ui_TextEntryDialog
from desk.gui.labels import outcome_label
from desk.gui.messages import set_message
from desk.gui.plain_text import plain_labels


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
        plain_labels(self.ui.promptLabel)  # may quote a handle or item text
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
        plain_labels(self.ui.promptLabel)  # may quote a handle or item text
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
        plain_labels(self.ui.introLabel)  # may quote a handle or item text
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
        self._highlighted = False  # an arrow has moved the highlight in the outcome list
        self.ui.outcomeList.itemClicked.connect(lambda _item: setattr(self, "_highlighted", True))
        self.ui.outcomeList.installEventFilter(self)
        self.ui.outcomeList.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Arrows only move the highlight; Space or Enter chooses the highlighted outcome.

        An outcome goes on the record: moving through the list must never choose one (a
        first Down once did, and an outcome was recorded by mistake).
        """
        outcomes = self.ui.outcomeList
        if not (
            watched is outcomes
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
        ):
            return super().eventFilter(watched, event)
        key, last = event.key(), outcomes.count() - 1
        # Qt makes the first row current on focus, unshown: the first arrow highlights it
        current = outcomes.currentRow() if self._highlighted else -1
        moves: dict[int, int] = {
            Qt.Key.Key_Down: 0 if current < 0 else min(current + 1, last),
            Qt.Key.Key_Up: last if current < 0 else max(current - 1, 0),
            Qt.Key.Key_Home: 0,
            Qt.Key.Key_End: last,
        }
        if key in moves and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            outcomes.setCurrentRow(moves[key], QItemSelectionModel.SelectionFlag.NoUpdate)
            self._highlighted = True
            return True
        chooses = key == Qt.Key.Key_Space or (
            key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not event.modifiers()
        )
        if chooses and current >= 0 and not outcomes.item(current).isSelected():
            outcomes.setCurrentRow(current, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            return True  # chosen: Enter again closes the case
        return super().eventFilter(watched, event)

    @property
    def outcome(self) -> Outcome | None:
        """The chosen outcome, if any."""
        chosen = self.ui.outcomeList.selectedItems()
        if not chosen:
            return None
        return Outcome(chosen[0].data(Qt.ItemDataRole.UserRole))

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


def _tr(text: str) -> str:
    return QCoreApplication.translate("RedactDialog", text)


# Why personal data is taken out of an item: (what goes on the timeline, what the list says)
REDACTION_REASONS: tuple[tuple[str, str], ...] = (
    ("phone number", _tr("Phone number")),
    ("address", _tr("Address")),
    ("vehicle registration", _tr("Vehicle registration")),
    ("email address", _tr("Email address")),
    ("name of a third party", _tr("Name of a third party")),
    ("other", _tr("Other (say what below)")),
)
OTHER_REASON = "other"
SELECTION_LINES = 4  # the selected text's box shows this many lines before it scrolls
DIALOG_WIDTH = 560


class RedactDialog(QDialog):
    """Take selected personal data out of an item for good, saying why.

    Shows exactly the characters that will go, a reason (a list and free text; "Other" needs
    the text) and Redact / Cancel. ``submitted`` carries the reason as it goes on the timeline.
    """

    submitted = Signal(str)

    def __init__(
        self, title: str, intro: str, selected: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(DIALOG_WIDTH - 80)
        self.selected = selected
        layout = QVBoxLayout(self)
        layout.setSpacing(10)

        self.intro_label = QLabel(intro, self)
        self.intro_label.setObjectName("introLabel")
        self.intro_label.setTextFormat(Qt.TextFormat.PlainText)
        self.intro_label.setWordWrap(True)
        layout.addWidget(self.intro_label)

        self.selected_label = QLabel(self.tr("&Text that will be replaced by “[redacted]”:"), self)
        self.selected_label.setObjectName("selectedLabel")
        layout.addWidget(self.selected_label)
        self.selected_view = QPlainTextEdit(self)
        self.selected_view.setObjectName("selectedView")
        self.selected_view.setReadOnly(True)
        self.selected_view.setTabChangesFocus(True)
        self.selected_view.setAccessibleName(self.tr("Text to redact"))
        self.selected_view.setPlainText(selected)
        self._fit_selection(selected)
        self.selected_label.setBuddy(self.selected_view)
        layout.addWidget(self.selected_view)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.reason_combo = QComboBox(self)
        self.reason_combo.setObjectName("reasonCombo")
        self.reason_combo.setAccessibleName(self.tr("Reason"))
        self.reason_combo.addItem(self.tr("Choose what it is…"), "")
        for code, label in REDACTION_REASONS:
            self.reason_combo.addItem(label, code)
        form.addRow(self.tr("&Reason:"), self.reason_combo)
        self.details_edit = QLineEdit(self)
        self.details_edit.setObjectName("detailsEdit")
        self.details_edit.setAccessibleName(self.tr("Details"))
        self.details_edit.setMaxLength(500)
        self.details_edit.setPlaceholderText(
            self.tr("Optional (needed for Other); do not repeat the redacted text")
        )
        form.addRow(self.tr("&Details:"), self.details_edit)
        layout.addLayout(form)

        self.hint_label = QLabel(
            self.tr(
                "The original cannot be brought back. Who redacted it and why go on the "
                "case's timeline and the audit record."
            ),
            self,
        )
        self.hint_label.setObjectName("hintLabel")
        self.hint_label.setWordWrap(True)
        layout.addWidget(self.hint_label)

        self.message_label = QLabel(self)
        self.message_label.setObjectName("messageLabel")
        self.message_label.setTextFormat(Qt.TextFormat.PlainText)
        self.message_label.setWordWrap(True)
        layout.addWidget(self.message_label)

        self.button_box = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        layout.addWidget(self.button_box)
        self.ok_button = _ok_button(self.button_box, self.tr("Redact"))
        self.reason_combo.currentIndexChanged.connect(self._changed)
        self.details_edit.textChanged.connect(self._changed)
        self.button_box.accepted.connect(self._submit)
        self.button_box.rejected.connect(self.reject)
        _save_on_ctrl_enter(self, self._submit)
        self._warned = False  # the message label shows the "repeats the text" warning
        set_message(self.message_label, "")
        self.setTabOrder(self.reason_combo, self.details_edit)
        self.setTabOrder(self.details_edit, self.selected_view)
        self._changed()
        self.reason_combo.setFocus()
        layout.activate()
        self.resize(DIALOG_WIDTH, max(layout.totalHeightForWidth(DIALOG_WIDTH), 0))

    def _fit_selection(self, selected: str) -> None:
        """Make the selected text's box as tall as its lines (up to a few; then it scrolls)."""
        view = self.selected_view
        view.ensurePolished()
        lines = min(max(selected.count("\n") + 1, 1), SELECTION_LINES)
        if lines == 1 and QFontMetrics(view.font()).horizontalAdvance(selected) > DIALOG_WIDTH - 60:
            lines = 2  # it wraps
        view.setFixedHeight(
            lines * QFontMetrics(view.font()).lineSpacing()
            + int(2 * view.document().documentMargin())
            + 2 * view.frameWidth()  # the style sheet's border and padding are in it
            + 2
        )

    @property
    def reason(self) -> str:
        """The reason as it goes on the timeline ('' until one is chosen)."""
        code = str(self.reason_combo.currentData() or "")
        details = " ".join(self.details_edit.text().split())
        if not code or (code == OTHER_REASON and not details):
            return ""
        if code == OTHER_REASON:
            return details
        return f"{code}: {details}" if details else code

    def choose(self, code: str) -> None:
        """Choose the reason ``code`` ('phone number', 'address'... 'other')."""
        found = self.reason_combo.findData(code)
        if found < 0:
            raise ValueError(f"no reason {code!r}")
        self.reason_combo.setCurrentIndex(found)

    def _repeats_selection(self) -> bool:
        taken = " ".join(self.selected.split()).casefold()
        return len(taken) >= 3 and taken in " ".join(self.details_edit.text().split()).casefold()

    def _changed(self, *_args: object) -> None:
        repeats = self._repeats_selection()
        self.ok_button.setEnabled(bool(self.reason) and not repeats)
        if repeats:
            set_message(
                self.message_label,
                self.tr("The details repeat the text being redacted: leave it out."),
            )
        elif self._warned:
            set_message(self.message_label, "")
        self._warned = repeats

    def _submit(self) -> None:
        if not self.reason or self._repeats_selection():
            return
        self.submitted.emit(self.reason)

    def refuse(self, message: str) -> None:
        """Show why the service refused (the case is someone else's...)."""
        self._warned = False
        set_message(self.message_label, message)

    def finish(self) -> None:
        """Close after the service accepted."""
        self.accept()
