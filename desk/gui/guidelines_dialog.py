"""Admin → Community guidelines: list, add, edit and retire the force's published rules."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from desk.core.errors import DeskError, ReauthenticationRequired, SessionEnded
from desk.gui.messages import set_message
from desk.gui.service_calls import ServiceCalls
from desk.gui.table_rows import fill_rows
from desk.services.desk import Desk
from desk.services.guidelines import GuidelineView


def _tr(text: str) -> str:
    return QCoreApplication.translate("GuidelinesDialog", text)


class GuidelineForm(QDialog):
    """Add a guideline, or change one's wording (its code stays)."""

    submitted = Signal(str, str, str, str)  # code, title, public text, Welsh public text

    def __init__(self, existing: GuidelineView | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            _tr("Add a community guideline")
            if existing is None
            else _tr("Change guideline {code}").format(code=existing.code)
        )
        self.resize(560, 460)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.code_edit = QLineEdit(self)
        self.code_edit.setObjectName("codeEdit")
        self.code_edit.setPlaceholderText("CG-9")
        self.title_edit = QLineEdit(self)
        self.title_edit.setObjectName("titleEdit")
        self.text_edit = QPlainTextEdit(self)
        self.text_edit.setObjectName("textEdit")
        self.text_edit.setTabChangesFocus(True)
        self.text_cy_edit = QPlainTextEdit(self)
        self.text_cy_edit.setObjectName("textCyEdit")
        self.text_cy_edit.setTabChangesFocus(True)
        form.addRow(_tr("&Code"), self.code_edit)
        form.addRow(_tr("&Title"), self.title_edit)
        form.addRow(_tr("Public text (&English)"), self.text_edit)
        form.addRow(_tr("Public text (Cymraeg)"), self.text_cy_edit)
        layout.addLayout(form)
        if existing is not None:
            self.code_edit.setText(existing.code)
            self.code_edit.setReadOnly(True)
            self.title_edit.setText(existing.title)
            self.text_edit.setPlainText(existing.public_text)
            self.text_cy_edit.setPlainText(existing.public_text_cy)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("messageLabel")
        self.message_label.setWordWrap(True)
        layout.addWidget(self.message_label)
        set_message(self.message_label, "")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def _submit(self) -> None:
        self.submitted.emit(
            self.code_edit.text(),
            self.title_edit.text(),
            self.text_edit.toPlainText(),
            self.text_cy_edit.toPlainText(),
        )

    def refuse(self, message: str) -> None:
        """Show why the service refused; keep what was typed."""
        set_message(self.message_label, message)


class GuidelinesDialog(QDialog):
    """The guidelines, with Add, Change and Retire for administrators and communications."""

    COLUMNS = ("Code", "Title", "Status")

    def __init__(
        self,
        desk: Desk,
        token: Callable[[], str],
        calls: ServiceCalls,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.desk = desk
        self.token = token
        self.calls = calls
        self.guidelines: list[GuidelineView] = []
        self.form: GuidelineForm | None = None
        self.setWindowTitle(_tr("Community guidelines"))
        self.resize(760, 560)
        layout = QVBoxLayout(self)
        intro = QLabel(
            _tr(
                "The force's published community guidelines. Every moderation action names the "
                "one broken; its public text is offered as the explanation given to the public."
            ),
            self,
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.table = QTableWidget(0, len(self.COLUMNS), self)
        self.table.setObjectName("guidelinesTable")
        self.table.setHorizontalHeaderLabels([_tr(c) for c in self.COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentCellChanged.connect(lambda *_: self._show_text())
        layout.addWidget(self.table, 2)
        self.text_label = QLabel(self)
        self.text_label.setObjectName("guidelineTextLabel")
        self.text_label.setWordWrap(True)
        self.text_label.setTextFormat(Qt.TextFormat.PlainText)
        self.text_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.text_label.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.text_label, 1)
        self.message_label = QLabel(self)
        self.message_label.setObjectName("messageLabel")
        self.message_label.setWordWrap(True)
        layout.addWidget(self.message_label)
        set_message(self.message_label, "")
        row = QHBoxLayout()
        self.show_retired = QCheckBox(_tr("Show &retired"), self)
        self.show_retired.toggled.connect(lambda _on: self.reload())
        self.add_button = QPushButton(_tr("&Add…"), self)
        self.edit_button = QPushButton(_tr("C&hange…"), self)
        self.retire_button = QPushButton(_tr("Re&tire"), self)
        close = QPushButton(_tr("Close"), self)
        for button in (self.add_button, self.edit_button, self.retire_button, close):
            button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.retire_button.clicked.connect(self.retire)
        close.clicked.connect(self.accept)
        row.addWidget(self.show_retired)
        row.addStretch(1)
        for button in (self.add_button, self.edit_button, self.retire_button, close):
            row.addWidget(button)
        layout.addLayout(row)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        """Fetch the guidelines again (keeping the selection, or selecting ``select``)."""
        keep = select or self.selected_code()
        outcome = self.calls.call(
            self.desk.guidelines.list, self.token(), self.show_retired.isChecked()
        )
        if not outcome.ok or outcome.value is None:
            return
        self.guidelines = outcome.value
        fill_rows(
            self.table,
            [
                (g.code, g.title, _tr("active") if g.active else _tr("RETIRED"))
                for g in self.guidelines
            ],
        )
        found = next((i for i, g in enumerate(self.guidelines) if g.code == keep), 0)
        if self.guidelines:
            self.table.setCurrentCell(found, 0)
        self._show_text()

    def selected_code(self) -> str | None:
        """The code of the guideline selected, if any."""
        row = self.table.currentRow()
        return self.guidelines[row].code if 0 <= row < len(self.guidelines) else None

    def _selected(self) -> GuidelineView | None:
        code = self.selected_code()
        return next((g for g in self.guidelines if g.code == code), None)

    def _show_text(self) -> None:
        g = self._selected()
        self.retire_button.setEnabled(g is not None and g.active)
        self.edit_button.setEnabled(g is not None)
        if g is None:
            self.text_label.setText("")
            return
        welsh = g.public_text_cy or _tr("(no Welsh text yet)")
        self.text_label.setText(
            _tr("{text}\n\nCymraeg: {welsh}").format(text=g.public_text, welsh=welsh)
        )

    def _open_form(self, existing: GuidelineView | None) -> GuidelineForm:
        form = GuidelineForm(existing, self)
        form.setObjectName("guidelineForm")
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
        form.submitted.connect(lambda *values: self._save(form, existing, *values))
        self.form = form
        form.open()
        return form

    def add(self) -> GuidelineForm:
        """Add… : the form for a new guideline."""
        return self._open_form(None)

    def edit(self) -> GuidelineForm | None:
        """Change… : the form for the selected guideline."""
        g = self._selected()
        return None if g is None else self._open_form(g)

    def _save(
        self,
        form: GuidelineForm,
        existing: GuidelineView | None,
        code: str,
        title: str,
        text: str,
        text_cy: str,
    ) -> None:
        token = self.token()
        try:
            if existing is None:
                saved = self.desk.guidelines.add(token, code, title, text, text_cy)
            else:
                saved = self.desk.guidelines.edit(
                    token, existing.code, title=title, public_text=text, public_text_cy=text_cy
                )
        except (SessionEnded, ReauthenticationRequired) as exc:
            form.reject()
            self.calls.handle(exc)
            return
        except DeskError as exc:
            form.refuse(exc.message)
            return
        form.accept()
        set_message(
            self.message_label, _tr("Saved guideline {code}.").format(code=saved.code), "info"
        )
        self.reload(select=saved.code)

    def retire(self) -> None:
        """Retire the selected guideline (new actions can no longer name it)."""
        g = self._selected()
        if g is None:
            return
        outcome = self.calls.call(self.desk.guidelines.retire, self.token(), g.code)
        if outcome.ok:
            set_message(
                self.message_label,
                _tr("Retired {code}: new moderation actions cannot name it.").format(code=g.code),
                "info",
            )
            self.reload()
