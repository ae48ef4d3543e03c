"""The small dialogs of the subject access window: a form of fields, and the redaction review."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desk.gui.messages import set_message
from desk.gui.plain_text import plain_labels, plain_tip
from desk.services.author_export import FlaggedPassage

Field = QLineEdit | QPlainTextEdit | QComboBox | QDateEdit


class FieldsDialog(QDialog):
    """A short form (texts, choices, a date) that a service call answers."""

    submitted = Signal(dict)

    def __init__(self, title: str, intro: str, ok_text: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.fields: dict[str, Field] = {}
        self.required: set[str] = set()
        layout = QVBoxLayout(self)
        label = QLabel(intro)
        label.setWordWrap(True)
        plain_labels(label)  # may name an author
        layout.addWidget(label)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(self.form)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(ok_text)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        set_message(self.message, "")
        self.resize(520, 200)

    def _add(self, key: str, label: str, widget: Field, required: bool) -> Field:
        widget.setObjectName(f"{key}Field")
        widget.setAccessibleName(label.replace("&", ""))
        self.form.addRow(label, widget)
        self.fields[key] = widget
        if required:
            self.required.add(key)
        return widget

    def add_line(self, key: str, label: str, required: bool = True) -> QLineEdit:
        """A one-line text."""
        field = QLineEdit()
        self._add(key, label, field, required)
        return field

    def add_text(self, key: str, label: str, required: bool = True) -> QPlainTextEdit:
        """A few lines of text."""
        field = QPlainTextEdit()
        field.setTabChangesFocus(True)
        field.setMaximumHeight(90)
        self._add(key, label, field, required)
        return field

    def add_choice(self, key: str, label: str, choices: Sequence[tuple[str, str]]) -> QComboBox:
        """One of a few values (shown text, value)."""
        field = QComboBox()
        for text, value in choices:
            field.addItem(text, value)
        self._add(key, label, field, False)
        return field

    def add_date(self, key: str, label: str, initial: date) -> QDateEdit:
        """A calendar day."""
        field = QDateEdit(QDate(initial.year, initial.month, initial.day))
        field.setCalendarPopup(True)
        field.setDisplayFormat("yyyy-MM-dd")
        self._add(key, label, field, False)
        return field

    def values(self) -> dict[str, object]:
        """What is filled in, by key."""
        out: dict[str, object] = {}
        for key, field in self.fields.items():
            if isinstance(field, QLineEdit):
                out[key] = field.text()
            elif isinstance(field, QPlainTextEdit):
                out[key] = field.toPlainText()
            elif isinstance(field, QComboBox):
                out[key] = field.currentData()
            else:
                out[key] = field.date().toPython()
        return out

    def _submit(self) -> None:
        values = self.values()
        missing = [
            self.form.labelForField(self.fields[k]).property("text")
            for k in self.fields
            if k in self.required and not str(values[k]).strip()
        ]
        if missing:
            set_message(
                self.message,
                self.tr("Fill in: {names}.").format(
                    names=", ".join(str(m).replace("&", "") for m in missing)
                ),
            )
            return
        self.submitted.emit(values)

    def refuse(self, message: str) -> None:
        """Show why the service refused; keep what was typed."""
        set_message(self.message, message)

    def finish(self) -> None:
        """Close after the service accepted."""
        self.accept()


class ReviewDialog(QDialog):
    """The passages that may name third parties: ticked ones are redacted in the export."""

    submitted = Signal(list)  # the redaction specs ticked

    def __init__(self, author: str, flagged: Sequence[FlaggedPassage], parent: QWidget | None):
        super().__init__(parent)
        self.setWindowTitle(self.tr("Review before release"))
        layout = QVBoxLayout(self)
        if flagged:
            text = self.tr(
                "These passages in the record of {author} may name other people. Ticked ones "
                "are replaced by \u201c[redacted: third party]\u201d in the released files; "
                "untick any that are the requester\u2019s own data."
            ).format(author=author)
        else:
            text = self.tr(
                "No passage in the record of {author} looks like it names anyone else. "
                "Read the files before release all the same."
            ).format(author=author)
        intro = QLabel(text)
        intro.setWordWrap(True)
        plain_labels(intro)  # names the author
        layout.addWidget(intro)
        self.list = QListWidget()
        self.list.setObjectName("passageList")
        self.list.setAccessibleName(self.tr("Passages to redact"))
        for f in flagged:
            item = QListWidgetItem(
                self.tr("{kind} {id}: \u201c{text}\u201d ({why}) in: {context}").format(
                    kind=f.kind, id=f.id, text=f.passage.text, why=f.passage.why, context=f.context
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, f.spec())
            item.setToolTip(plain_tip(f.context) or "")
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
            self.list.addItem(item)
        self.list.setVisible(bool(flagged))
        layout.addWidget(self.list)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout.addWidget(self.message)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Export…"))
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        set_message(self.message, "")
        self.resize(640, 380)

    def specs(self) -> list[str]:
        """The redactions ticked."""
        return [
            str(self.list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.list.count())
            if self.list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _submit(self) -> None:
        self.submitted.emit(self.specs())

    def refuse(self, message: str) -> None:
        """Show why the export was refused."""
        set_message(self.message, message)

    def finish(self) -> None:
        """Close once written."""
        self.accept()
