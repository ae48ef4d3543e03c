"""The escalation form, the acknowledgement dialog and the list of escalations awaiting ack.

The form is pre-filled from the case; its hand-on buttons copy the structured text, save an
unsent ``.eml`` draft addressed to the target, or save a PDF, with no network at all. Like the
case dialogs, each dialog says ``submitted`` and stays open until the controller calls
``finish()`` (done) or ``refuse(message)`` (the service's answer, shown inside it).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtGui import QGuiApplication, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

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
from desk.gui.formatting import clock_time, local_time
from desk.gui.messages import set_message
from desk.gui.pdf_export import write_pdf
from desk.gui.table_rows import fill_rows
from desk.services.escalations import EscalationView, TargetView

Preview = Callable[[int, Urgency, str], tuple[HandOn, str]]


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


def _ctrl_enter(dialog: QDialog, target: Callable[[], None]) -> None:
    for keys in ("Ctrl+Return", "Ctrl+Enter"):
        QShortcut(QKeySequence(keys), dialog).activated.connect(target)


def _wrapped(text: str) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


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
        self.setWindowTitle(title)
        self.kind = kind
        self.targets = list(targets)
        self.facts = facts
        self._preview = preview
        self.setMinimumWidth(620)
        layout = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.addLayout(form)

        self.target_combo = QComboBox(self)
        self.target_combo.setObjectName("targetCombo")
        for target in self.targets:
            text = f"{target.area} — {target.name}" if target.area else target.name
            self.target_combo.addItem(text, target.id)
        self.target_combo.currentIndexChanged.connect(self._target_changed)
        label = self.tr("Area") if kind is TargetKind.NEIGHBOURHOOD else self.tr("To")
        form.addRow(label, self.target_combo)
        self.contact_label = _wrapped("")
        self.contact_label.setObjectName("contactLabel")
        form.addRow(self.tr("Contact"), self.contact_label)

        row = QHBoxLayout()
        self.urgency_group = QButtonGroup(self)
        self.urgency_buttons: dict[Urgency, QRadioButton] = {}
        for number, choice in enumerate(Urgency):
            button = QRadioButton(self.tr(URGENCY_LABELS[choice]), self)
            button.setObjectName(f"urgency_{choice.value}")
            self.urgency_group.addButton(button, number)
            self.urgency_buttons[choice] = button
            row.addWidget(button)
        row.addStretch(1)
        self.urgency_buttons[urgency].setChecked(True)
        form.addRow(self.tr("Urgency"), row)

        self.summary_edit = QLineEdit(facts.summary, self)
        self.summary_edit.setObjectName("summaryEdit")
        self.summary_edit.setMaxLength(500)
        form.addRow(self.tr("Summary"), self.summary_edit)

        self.item_view = QPlainTextEdit(facts.item_text, self)
        self.item_view.setObjectName("itemView")
        self.item_view.setReadOnly(True)
        self.item_view.setMaximumHeight(90)
        when = local_time(facts.arrived)
        form.addRow(self.tr("Item"), self.item_view)
        form.addRow(
            self.tr("From"),
            _wrapped(f"{facts.author} · {facts.platform} · {self.tr('arrived')} {when}"),
        )
        self.link_label = _wrapped(facts.link or self.tr("(no link)"))
        form.addRow(self.tr("Link"), self.link_label)
        self.risk_label = _wrapped(f"{facts.risk} · {facts.assessment}")
        self.risk_label.setObjectName("riskLabel")
        form.addRow(self.tr("Risk"), self.risk_label)

        hand_on = QHBoxLayout()
        self.copy_button = QPushButton(self.tr("Copy"), self)
        self.copy_button.setObjectName("copyButton")
        self.eml_button = QPushButton(self.tr("Save .eml…"), self)
        self.eml_button.setObjectName("emlButton")
        self.pdf_button = QPushButton(self.tr("Save PDF…"), self)
        self.pdf_button.setObjectName("pdfButton")
        for push in (self.copy_button, self.eml_button, self.pdf_button):
            push.setAutoDefault(False)
            hand_on.addWidget(push)
        hand_on.addStretch(1)
        form.addRow(self.tr("Hand on"), hand_on)
        self.copy_button.clicked.connect(self.copy)
        self.eml_button.clicked.connect(self._ask_eml)
        self.pdf_button.clicked.connect(self._ask_pdf)

        self.message_label = QLabel(self)
        self.message_label.setObjectName("messageLabel")
        self.message_label.setWordWrap(True)
        layout.addWidget(self.message_label)
        set_message(self.message_label, "")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Escalate"))
        self.ok_button.setDefault(True)
        self.buttons.accepted.connect(self._submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        _ctrl_enter(self, self._submit)
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

    def document(self) -> tuple[HandOn, str]:
        """Return the hand-on document as it stands, and the target's email address."""
        target = self.target
        if target is None:
            raise ValueError("no target chosen")
        return self._preview(target.id, self.urgency, self.summary or self.facts.summary)

    def hand_on_text(self) -> str:
        """The structured text the buttons hand on."""
        return hand_on_text(self.document()[0])

    def copy(self) -> None:
        """Put the structured text on the clipboard."""
        QGuiApplication.clipboard().setText(self.hand_on_text())
        self._said(self.tr("Copied the escalation to the clipboard."))

    def save_eml_to(self, path: str | Path) -> Path:
        """Write an unsent .eml draft addressed to the target."""
        doc, email = self.document()
        target = Path(path)
        target.write_bytes(build_eml(doc, email).as_bytes())
        self._said(self.tr("Saved the email draft {name}.").format(name=target.name))
        return target

    def save_pdf_to(self, path: str | Path) -> Path:
        """Write the escalation as a PDF."""
        doc, _email = self.document()
        written = write_pdf(path, subject(doc), hand_on_text(doc))
        self._said(self.tr("Saved the PDF {name}.").format(name=written.name))
        return written

    def _suggested(self, suffix: str) -> str:
        return str(Path.home() / f"escalation-case-{self.facts.case_id}{suffix}")

    def _ask_eml(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save email draft"), self._suggested(".eml"), self.tr("Email (*.eml)")
        )
        if path:
            self._saving(lambda: self.save_eml_to(path))

    def _ask_pdf(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Save PDF"), self._suggested(".pdf"), self.tr("PDF (*.pdf)")
        )
        if path:
            self._saving(lambda: self.save_pdf_to(path))

    def _saving(self, save: Callable[[], Path]) -> None:
        try:
            save()
        except OSError as exc:
            set_message(
                self.message_label,
                self.tr("Desk could not save the file: {why}").format(why=exc.strerror or exc),
            )
        except DeskError as exc:  # the PDF writer names the folder or file it could not write
            set_message(self.message_label, exc.message)

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


class AckDialog(QDialog):
    """Record who at the target acknowledged an escalation, when, and what they said."""

    submitted = Signal(str, object, str)  # who, when (aware datetime), note

    def __init__(
        self, escalation: EscalationView, now: datetime, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.escalation = escalation
        self.setWindowTitle(self.tr("Acknowledgement of escalation #{id}").format(id=escalation.id))
        self.setMinimumWidth(480)
        layout = QVBoxLayout(self)
        layout.addWidget(
            _wrapped(
                self.tr(
                    "Case #{case} to {target} ({urgency}), escalated {when}; deadline {deadline}."
                ).format(
                    case=escalation.case_id,
                    target=escalation.target_name,
                    urgency=self.tr(URGENCY_LABELS[escalation.urgency]).lower(),
                    when=clock_time(escalation.created_at),
                    deadline=clock_time(escalation.deadline_at),
                )
            )
        )
        form = QFormLayout()
        layout.addLayout(form)
        self.by_edit = QLineEdit(self)
        self.by_edit.setObjectName("byEdit")
        self.by_edit.setPlaceholderText(self.tr("Name and collar or staff number"))
        form.addRow(self.tr("Acknowledged by"), self.by_edit)
        self.when_edit = QDateTimeEdit(QDateTime.fromSecsSinceEpoch(int(now.timestamp())), self)
        self.when_edit.setObjectName("whenEdit")
        self.when_edit.setDisplayFormat("dd MMM yyyy HH:mm")
        self.when_edit.setCalendarPopup(True)
        form.addRow(self.tr("When"), self.when_edit)
        self.note_edit = QPlainTextEdit(self)
        self.note_edit.setObjectName("noteEdit")
        self.note_edit.setMaximumHeight(80)
        form.addRow(self.tr("Note"), self.note_edit)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        layout.addWidget(self.message_label)
        set_message(self.message_label, "")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Record acknowledgement"))
        self.ok_button.setEnabled(False)
        self.by_edit.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text.strip())))
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        _ctrl_enter(self, self._submit)
        self.by_edit.setFocus()

    @property
    def when(self) -> datetime:
        """The acknowledgement time chosen, in UTC."""
        seconds = self.when_edit.dateTime().toSecsSinceEpoch()
        return datetime.fromtimestamp(seconds, UTC)

    def _submit(self) -> None:
        if self.by_edit.text().strip():
            self.submitted.emit(
                self.by_edit.text().strip(), self.when, self.note_edit.toPlainText()
            )

    def refuse(self, message: str) -> None:
        """Show why the service refused."""
        set_message(self.message_label, message)

    def finish(self) -> None:
        """Close after the service accepted."""
        self.accept()


class WaitingDialog(QDialog):
    """Escalations awaiting acknowledgement, soonest deadline first, overdue ones marked."""

    acknowledge_requested = Signal(int)  # escalation id
    refresh_requested = Signal()
    open_case_requested = Signal(int)

    HEADERS = ("#", "Case", "Target", "Urgency", "Escalated", "Deadline", "State")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Escalations awaiting acknowledgement"))
        self.resize(860, 380)
        self.escalations: list[EscalationView] = []
        layout = QVBoxLayout(self)
        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("waitingSummary")
        layout.addWidget(self.summary_label)
        self.table = QTableWidget(0, len(self.HEADERS), self)
        self.table.setObjectName("waitingTable")
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in self.HEADERS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        layout.addWidget(self.table)
        row = QHBoxLayout()
        self.ack_button = QPushButton(self.tr("Acknowledge…"), self)
        self.ack_button.setObjectName("ackButton")
        self.ack_button.clicked.connect(self._acknowledge)
        self.refresh_button = QPushButton(self.tr("Refresh"), self)
        self.refresh_button.clicked.connect(self.refresh_requested.emit)
        close = QPushButton(self.tr("Close"), self)
        close.clicked.connect(self.close)
        for button in (self.ack_button, self.refresh_button):
            button.setAutoDefault(False)
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(close)
        layout.addLayout(row)
        self._selected()

    def set_escalations(self, escalations: Sequence[EscalationView]) -> None:
        """Show these escalations."""
        self.escalations = list(escalations)
        table = self.table
        rows = fill_rows(
            table,
            [
                (
                    str(e.id),
                    f"#{e.case_id}",
                    e.target_name,
                    self.tr(URGENCY_LABELS[e.urgency]),
                    local_time(e.created_at),
                    local_time(e.deadline_at),
                    self.tr("⚑ OVERDUE") if e.overdue else self.tr("waiting"),
                )
                for e in self.escalations
            ],
        )
        for e, items in zip(self.escalations, rows, strict=True):
            for item in items if e.overdue else ():
                font = item.font()
                font.setBold(True)
                item.setFont(font)
        table.resizeColumnsToContents()
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        late = sum(1 for e in self.escalations if e.overdue)
        self.summary_label.setText(
            self.tr("{n} awaiting acknowledgement, {m} past their deadline.").format(
                n=len(self.escalations), m=late
            )
            if self.escalations
            else self.tr("No escalations await acknowledgement.")
        )
        if self.escalations:
            table.selectRow(0)
        self._selected()

    def selected(self) -> EscalationView | None:
        """The escalation selected."""
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        index = rows[0].row()
        return self.escalations[index] if 0 <= index < len(self.escalations) else None

    def _selected(self) -> None:
        self.ack_button.setEnabled(self.selected() is not None)

    def _acknowledge(self) -> None:
        chosen = self.selected()
        if chosen is not None:
            self.acknowledge_requested.emit(chosen.id)
