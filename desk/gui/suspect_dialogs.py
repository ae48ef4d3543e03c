"""The suspected fake accounts register's dialogs: a suspect, evidence, a report, an outcome.

Add a suspect, add evidence, record the report to the platform, record what the platform did.

Each dialog only asks (``submitted``) and stays open; the menu (:mod:`desk.gui.suspects_window`)
runs the service call as an operation, which closes it or shows the refusal inside it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desk.core.impersonation import Outcome
from desk.core.items import Platform
from desk.gui.account_dialogs import AskingDialog, date_edit, py_date, wrapped
from desk.gui.labels import platform_label
from desk.gui.screen_fit import fit_to_screen


def parse_item_ids(text: str) -> list[int]:
    """Item numbers typed as ``12, 15 #18``; raise ValueError naming the first that is not one."""
    found = []
    for part in text.replace(",", " ").split():
        number = part.lstrip("#")
        if not number.isdigit():
            raise ValueError(part)
        found.append(int(number))
    return found


def _text_box(parent: QWidget, name: str, placeholder: str, height: int = 64) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setObjectName(name)
    box.setTabChangesFocus(True)
    box.setPlaceholderText(placeholder)
    box.setFixedHeight(height)
    return box


class EvidenceFields:
    """Links, items seen and a note: what a suspect's evidence is."""

    def __init__(self, dialog: QWidget, form: QFormLayout) -> None:
        self.links_edit = _text_box(
            dialog,
            "suspectLinksEdit",
            dialog.tr("One link a line: posts, the profile, screenshots"),
        )
        self.items_edit = QLineEdit(dialog)
        self.items_edit.setObjectName("suspectItemsEdit")
        self.items_edit.setPlaceholderText(dialog.tr("Desk's item numbers, such as 12, 15"))
        self.note_edit = _text_box(dialog, "suspectNoteEdit", dialog.tr("What was seen, and why"))
        form.addRow(dialog.tr("Evidence &links:"), self.links_edit)
        form.addRow(dialog.tr("&Items seen:"), self.items_edit)
        form.addRow(dialog.tr("&Note:"), self.note_edit)

    def values(self) -> dict[str, Any]:
        """The evidence typed (``item_ids`` parsed; raises ValueError on a bad number)."""
        return {
            "links": [x.strip() for x in self.links_edit.toPlainText().splitlines() if x.strip()],
            "item_ids": parse_item_ids(self.items_edit.text()),
            "note": self.note_edit.toPlainText(),
        }


class SuspectDialog(AskingDialog):
    """Add a suspected fake account with its evidence (possibly an author Desk saw)."""

    submitted = Signal(object)  # a dict of the service's keyword arguments

    def __init__(
        self,
        platform: str = "",
        handle: str = "",
        author_id: int | None = None,
        why: str = "",
        parent: Any = None,
    ) -> None:
        super().__init__(parent)
        self.author_id = author_id
        self.setWindowTitle(self.tr("Add a suspected fake account"))
        intro = self.tr(
            "An account that pretends to be the force or one of its accounts. Report it to "
            "the platform after adding it; the register reminds you to chase the outcome."
        )
        if why:
            intro += "\n" + self.tr("Desk flagged this author: {why}").format(why=why)
        self.platform_combo = QComboBox(self)
        self.platform_combo.setObjectName("suspectPlatformCombo")
        for each in Platform:
            self.platform_combo.addItem(platform_label(each.value), each.value)
        if platform:
            self.platform_combo.setCurrentIndex(self.platform_combo.findData(platform))
        self.handle_edit = QLineEdit(handle, self)
        self.handle_edit.setObjectName("suspectHandleEdit")
        self.handle_edit.setPlaceholderText(self.tr("Its handle or name, such as @ExampIeshire"))
        self.link_edit = QLineEdit(self)
        self.link_edit.setObjectName("suspectLinkEdit")
        self.link_edit.setPlaceholderText(self.tr("https://… its profile page"))
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("&Platform:"), self.platform_combo)
        form.addRow(self.tr("&Handle:"), self.handle_edit)
        form.addRow(self.tr("Pro&file:"), self.link_edit)
        self.evidence = EvidenceFields(self, form)
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(intro, self, "suspectIntroLabel"))
        layout.addLayout(form)
        buttons = self._buttons(self.tr("&Add"))
        layout.addWidget(self.message_label)
        layout.addWidget(buttons)
        fit_to_screen(self, 600, 480)

    def _submit(self) -> None:
        try:
            evidence = self.evidence.values()
        except ValueError as bad:
            self.refuse(self.tr("{text} is not an item number.").format(text=repr(str(bad))))
            return
        self.submitted.emit(
            {
                "platform": Platform(self.platform_combo.currentData()),
                "handle": self.handle_edit.text(),
                "link": self.link_edit.text(),
                "author_id": self.author_id,
                **evidence,
            }
        )


class EvidenceDialog(AskingDialog):
    """Add links, items seen or a note to a suspect's evidence."""

    submitted = Signal(object)  # a dict: links, item_ids, note

    def __init__(self, what: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add evidence"))
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        self.evidence = EvidenceFields(self, form)
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(what, self, "evidenceIntroLabel"))
        layout.addLayout(form)
        buttons = self._buttons(self.tr("&Add"))
        layout.addWidget(self.message_label)
        layout.addWidget(buttons)
        fit_to_screen(self, 560, 380)

    def _submit(self) -> None:
        try:
            evidence = self.evidence.values()
        except ValueError as bad:
            self.refuse(self.tr("{text} is not an item number.").format(text=repr(str(bad))))
            return
        self.submitted.emit(evidence)


class ReportDialog(AskingDialog):
    """Record that the account was reported to its platform: the reference and the day."""

    submitted = Signal(str, object)  # the platform's reference; the day reported

    def __init__(self, what: str, today: date, parent: Any = None) -> None:
        super().__init__(parent)
        self.today = today
        self.setWindowTitle(self.tr("Record the report to the platform"))
        self.reference_edit = QLineEdit(self)
        self.reference_edit.setObjectName("reportReferenceEdit")
        self.reference_edit.setPlaceholderText(self.tr("The platform's case number"))
        self.day_edit = date_edit(self, today, today)
        self.day_edit.setObjectName("reportDayEdit")
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("&Reference:"), self.reference_edit)
        form.addRow(self.tr("Reported &on:"), self.day_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(what, self, "reportIntroLabel"))
        layout.addLayout(form)
        buttons = self._buttons(self.tr("Recor&d"))
        layout.addWidget(self.message_label)
        layout.addWidget(buttons)
        fit_to_screen(self, 520, 260)

    def _submit(self) -> None:
        self.submitted.emit(self.reference_edit.text(), py_date(self.day_edit))


class OutcomeDialog(AskingDialog):
    """Record what the platform did: removed the account, or not."""

    submitted = Signal(object)  # the Outcome

    def __init__(self, what: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Record the platform's outcome"))
        self.removed = QRadioButton(self.tr("The platform &removed the account"), self)
        self.removed.setObjectName("outcomeRemoved")
        self.kept = QRadioButton(self.tr("The platform did &not remove it"), self)
        self.kept.setObjectName("outcomeNotRemoved")
        group = QButtonGroup(self)
        group.addButton(self.removed)
        group.addButton(self.kept)
        self.removed.setChecked(True)
        layout = QVBoxLayout(self)
        layout.addWidget(wrapped(what, self, "outcomeIntroLabel"))
        layout.addWidget(self.removed)
        layout.addWidget(self.kept)
        layout.addWidget(
            wrapped(
                self.tr("Not removed: report it again with new evidence, or escalate it."),
                self,
                "outcomeHintLabel",
            )
        )
        buttons = self._buttons(self.tr("Recor&d"))
        layout.addWidget(self.message_label)
        layout.addWidget(buttons)
        fit_to_screen(self, 520, 260)

    def _submit(self) -> None:
        self.submitted.emit(Outcome.REMOVED if self.removed.isChecked() else Outcome.NOT_REMOVED)
