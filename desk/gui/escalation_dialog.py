"""The escalation form: urgency, summary, the case's facts, and the hand-on buttons.

The form is pre-filled from the case; its hand-on buttons copy the structured text, save an
unsent ``.eml`` draft addressed to the target, or save a PDF, with no network at all. Like the
case dialogs, each dialog says ``submitted`` and stays open until the controller calls
``finish()`` (done) or ``refuse(message)`` (the service's answer, shown inside it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QRadioButton,
    QWidget,
)
from shiboken6 import isValid

from desk.core.errors import DeskError
from desk.core.escalation import (
    URGENCY_LABELS,
    HandOn,
    TargetKind,
    Urgency,
    build_eml,
    hand_on_text,
    subject,
)
from desk.gui.formatting import local_time
from desk.gui.forms.ui_escalation_dialog import Ui_EscalationDialog
from desk.gui.messages import set_message
from desk.gui.pdf_export import choose_save_path, write_pdf
from desk.services.escalations import TargetView

Document = tuple[HandOn, str]
# preview(target id, urgency, summary, then): reads the hand-on document off the GUI thread
# and calls then((document, email)) when it arrives
Preview = Callable[[int, Urgency, str, Callable[[Document], None]], None]


@dataclass(frozen=True)
class CaseFacts:
    """What the form shows about the case (read-only)."""

    case_id: int
    summary: str
    item_text: str
    link: str
    author: str
    platform: str
    arrived: datetime
    risk: str
    assessment: str


def ctrl_enter(dialog: QDialog, target: Callable[[], None]) -> None:
    """Make Ctrl+Enter (either Enter key) in ``dialog`` call ``target``."""
    for keys in ("Ctrl+Return", "Ctrl+Enter"):
        QShortcut(QKeySequence(keys), dialog).activated.connect(target)


class EscalationDialog(QDialog):
    """Escalate to one target: urgency, summary, the case's facts, and the hand-on buttons."""

    submitted = Signal(int, str, str)  # target id, urgency code, summary
    handed_on = Signal(str)  # what was done ("Copied…", "Saved …"), for the status bar

    def __init__(
        self,
        title: str,
        kind: TargetKind,
        targets: Sequence[TargetView],
        facts: CaseFacts,
        urgency: Urgency,
        preview: Preview,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ui = ui = Ui_EscalationDialog()
        ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setWindowTitle(title)
        self.kind = kind
        self.targets = list(targets)
        self.facts = facts
        self._preview = preview

        self.target_combo = ui.targetCombo
        for target in self.targets:
            text = f"{target.area} — {target.name}" if target.area else target.name
            self.target_combo.addItem(text, target.id)
        self.target_combo.currentIndexChanged.connect(self._target_changed)
        ui.targetLabel.setText(
            self.tr("&Area") if kind is TargetKind.NEIGHBOURHOOD else self.tr("&To")
        )
        self.contact_label = ui.contactLabel

        self.urgency_group = QButtonGroup(self)
        self.urgency_buttons: dict[Urgency, QRadioButton] = {}
        for number, choice in enumerate(Urgency):
            button = QRadioButton(self.tr(URGENCY_LABELS[choice]), self)
            button.setObjectName(f"urgency_{choice.value}")
            self.urgency_group.addButton(button, number)
            self.urgency_buttons[choice] = button
            ui.urgencyRow.addWidget(button)
        ui.urgencyRow.addStretch(1)
        self.urgency_buttons[urgency].setChecked(True)
        QWidget.setTabOrder(self.target_combo, self.urgency_buttons[urgency])
        QWidget.setTabOrder(self.urgency_buttons[urgency], ui.summaryEdit)

        self.summary_edit = ui.summaryEdit
        self.summary_edit.setText(facts.summary)
        self.item_view = ui.itemView
        self.item_view.setPlainText(facts.item_text)
        when = local_time(facts.arrived)
        ui.fromLabel.setText(f"{facts.author} · {facts.platform} · {self.tr('arrived')} {when}")
        self.link_label = ui.linkLabel
        self.link_label.setText(facts.link or self.tr("(no link)"))
        self.risk_label = ui.riskLabel
        self.risk_label.setText(f"{facts.risk} · {facts.assessment}")

        self.copy_button = ui.copyButton
        self.eml_button = ui.emlButton
        self.pdf_button = ui.pdfButton
        self.copy_button.clicked.connect(self.copy)
        self.eml_button.clicked.connect(self._ask_eml)
        self.pdf_button.clicked.connect(self._ask_pdf)

        self.message_label = ui.messageLabel
        set_message(self.message_label, "")

        self.buttons = ui.buttonBox
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Escalate"))
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        ctrl_enter(self, self._submit)
        self._target_changed()
        self.summary_edit.setFocus()

    # what is chosen ---------------------------------------------------------------------

    @property
    def target(self) -> TargetView | None:
        """The chosen target."""
        index = self.target_combo.currentIndex()
        return self.targets[index] if 0 <= index < len(self.targets) else None

    @property
    def urgency(self) -> Urgency:
        """The chosen urgency."""
        return list(Urgency)[max(self.urgency_group.checkedId(), 0)]

    @property
    def summary(self) -> str:
        """The summary as typed."""
        return self.summary_edit.text().strip()

    def choose_urgency(self, urgency: Urgency) -> None:
        """Tick ``urgency``."""
        self.urgency_buttons[urgency].setChecked(True)

    def choose_area(self, area: str) -> None:
        """Choose the target for ``area`` (neighbourhood teams)."""
        for index, target in enumerate(self.targets):
            if target.area.lower() == area.lower():
                self.target_combo.setCurrentIndex(index)
                return
        raise ValueError(f"no target for area {area!r}")

    def _target_changed(self, *_args: object) -> None:
        target = self.target
        self.contact_label.setText(
            target.contact or self.tr("(no contact details: ask an administrator)")
            if target is not None
            else self.tr("No target of this kind: an administrator adds one.")
        )
        self.ok_button.setEnabled(target is not None)
        for button in (self.copy_button, self.eml_button, self.pdf_button):
            button.setEnabled(target is not None)

    # hand on ----------------------------------------------------------------------------

    def with_document(self, then: Callable[[Document], None]) -> None:
        """Read the hand-on document as it stands (and the target's email), then call ``then``."""
        target = self.target
        if target is None:
            return
        self._preview(
            target.id,
            self.urgency,
            self.summary or self.facts.summary,
            lambda found: then(found) if isValid(self) and isValid(self.message_label) else None,
        )

    def copy(self) -> None:
        """Put the structured text on the clipboard (once the document is read)."""

        def copied(found: Document) -> None:
            QGuiApplication.clipboard().setText(hand_on_text(found[0]))
            self._said(self.tr("Copied the escalation to the clipboard."))

        self.with_document(copied)

    def save_eml_to(self, path: str | Path) -> None:
        """Write an unsent .eml draft addressed to the target (once the document is read)."""
        target = Path(path)

        self.with_document(
            lambda found: self._saving(
                lambda: self._write_eml(target, found),
                self.tr("Saved the email draft {name}.").format(name=target.name),
            )
        )

    def save_pdf_to(self, path: str | Path) -> None:
        """Write the escalation as a PDF (once the document is read)."""
        target = Path(path)
        self.with_document(
            lambda found: self._saving(
                lambda: write_pdf(
                    target, subject(found[0]), hand_on_text(found[0]), found[0].marking
                ),
                self.tr("Saved the PDF {name}.").format(name=target.name),
            )
        )

    @staticmethod
    def _write_eml(target: Path, found: Document) -> Path:
        doc, email = found
        target.write_bytes(build_eml(doc, email).as_bytes())
        return target

    def _suggested(self, suffix: str) -> str:
        return f"escalation-case-{self.facts.case_id}{suffix}"

    def _ask_eml(self) -> None:
        path = choose_save_path(
            self,
            self.tr("Save email draft"),
            self._suggested(".eml"),
            self.tr("Email (*.eml)"),
            suffix=".eml",
        )
        if path:
            self.save_eml_to(path)

    def _ask_pdf(self) -> None:
        path = choose_save_path(self, self.tr("Save PDF"), self._suggested(".pdf"))
        if path:
            self.save_pdf_to(path)

    def _saving(self, save: Callable[[], Path], said: str) -> None:
        try:
            save()
        except OSError as exc:
            set_message(
                self.message_label,
                self.tr("Desk could not save the file: {why}").format(why=exc.strerror or exc),
            )
        except DeskError as exc:  # the PDF writer names the folder or file it could not write
            set_message(self.message_label, exc.message)
        else:
            self._said(said)

    def _said(self, text: str) -> None:
        set_message(self.message_label, text, "info")
        self.handed_on.emit(text)

    # submitting -------------------------------------------------------------------------

    def _submit(self) -> None:
        target = self.target
        if target is not None:
            self.submitted.emit(target.id, self.urgency.value, self.summary)

    def refuse(self, message: str) -> None:
        """Show why the service refused; keep what was typed."""
        set_message(self.message_label, message)

    def finish(self) -> None:
        """Close after the service accepted."""
        self.accept()
