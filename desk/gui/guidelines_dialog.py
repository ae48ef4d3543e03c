"""Admin → Community guidelines: list, add, edit and retire the force's published rules."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QWidget,
)

from desk.gui.forms.ui_guideline_form import Ui_GuidelineForm
from desk.gui.forms.ui_guidelines_dialog import Ui_GuidelinesDialog
from desk.gui.messages import set_message
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.shell import Shell
from desk.gui.table_rows import fill_rows
from desk.services.guidelines import GuidelineView


def _tr(text: str) -> str:
    return QCoreApplication.translate("GuidelinesDialog", text)


class GuidelineForm(QDialog):
    """Add a guideline, or change one's wording (its code stays)."""

    submitted = Signal(str, str, str, str)  # code, title, public text, Welsh public text

    def __init__(self, existing: GuidelineView | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_GuidelineForm()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setWindowTitle(
            _tr("Add a community guideline")
            if existing is None
            else _tr("Change guideline {code}").format(code=existing.code)
        )
        self.code_edit = self.ui.codeEdit
        self.title_edit = self.ui.titleEdit
        self.text_edit = self.ui.textEdit
        self.text_cy_edit = self.ui.textCyEdit
        if existing is not None:
            self.code_edit.setText(existing.code)
            self.code_edit.setReadOnly(True)
            self.title_edit.setText(existing.title)
            self.text_edit.setPlainText(existing.public_text)
            self.text_cy_edit.setPlainText(existing.public_text_cy)
        self.message_label = self.ui.messageLabel
        set_message(self.message_label, "")
        buttons = self.ui.buttonBox
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)

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

    def finish(self) -> None:
        """Close once saved."""
        self.accept()


class GuidelinesDialog(QDialog):
    """The guidelines, with Add, Change and Retire for administrators and communications."""

    COLUMNS = ("Code", "Title", "Status")

    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.shell = shell
        self.desk = shell.desk
        self.guidelines: list[GuidelineView] = []
        self.form: GuidelineForm | None = None
        self.ui = ui = Ui_GuidelinesDialog()
        ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.table = ui.guidelinesTable
        self.table.setColumnCount(len(self.COLUMNS))
        self.table.setHorizontalHeaderLabels([_tr(c) for c in self.COLUMNS])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.table.currentCellChanged.connect(lambda *_: self._show_text())
        self.text_label = ui.guidelineTextLabel
        self.message_label = ui.messageLabel
        set_message(self.message_label, "")
        self.show_retired = ui.showRetiredCheck
        self.show_retired.toggled.connect(lambda _on: self.reload())
        self.add_button = ui.addButton
        self.edit_button = ui.changeButton
        self.retire_button = ui.retireButton
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.retire_button.clicked.connect(self.retire)
        ui.closeButton.clicked.connect(self.accept)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        """Fetch the guidelines again (keeping the selection, or selecting ``select``)."""
        keep = select or self.selected_code()
        desk, token, retired = self.desk, self.shell.token, self.show_retired.isChecked()
        QueryOp(self.shell, lambda: desk.guidelines.list(token, retired), key="guidelines").success(
            lambda found: self._show(found, keep)
        ).run()

    def _show(self, guidelines: list[GuidelineView], keep: str | None) -> None:
        self.guidelines = guidelines
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
        desk, token = self.desk, self.shell.token

        def save() -> GuidelineView:
            if existing is None:
                return desk.guidelines.add(token, code, title, text, text_cy)
            return desk.guidelines.edit(
                token, existing.code, title=title, public_text=text, public_text_cy=text_cy
            )

        def saved(done: GuidelineView) -> None:
            set_message(
                self.message_label, _tr("Saved guideline {code}.").format(code=done.code), "info"
            )
            self.reload(select=done.code)

        ChangeOp(self.shell, save).in_dialog(form).success(saved).run()

    def retire(self) -> None:
        """Retire the selected guideline (new actions can no longer name it)."""
        g = self._selected()
        if g is None:
            return
        desk, token, code = self.desk, self.shell.token, g.code

        def retired(_done: object) -> None:
            set_message(
                self.message_label,
                _tr("Retired {code}: new moderation actions cannot name it.").format(code=code),
                "info",
            )
            self.reload()

        ChangeOp(self.shell, lambda: desk.guidelines.retire(token, code)).success(retired).failure(
            lambda exc: set_message(self.message_label, exc.message)
        ).run()
