"""Acknowledgements: recording one, and the list of escalations awaiting acknowledgement.

The list is worked from the keyboard: arrows move between escalations, Tab leaves the table
for its buttons, Enter or Ctrl+Enter (or Alt+A) acknowledges the one chosen.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QWidget,
)

from desk.core.escalation import URGENCY_LABELS
from desk.gui.escalation_dialog import ctrl_enter
from desk.gui.formatting import clock_time, local_time
from desk.gui.forms.ui_acknowledgement_dialog import Ui_AckDialog
from desk.gui.forms.ui_escalations_waiting_dialog import Ui_WaitingDialog
from desk.gui.messages import set_message
from desk.gui.table_rows import fill_rows
from desk.services.escalations import EscalationView


class AckDialog(QDialog):
    """Record who at the target acknowledged an escalation, when, and what they said."""

    submitted = Signal(str, object, str)  # who, when (aware datetime), note

    def __init__(
        self, escalation: EscalationView, now: datetime, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ui = Ui_AckDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.escalation = escalation
        self.setWindowTitle(self.tr("Acknowledgement of escalation #{id}").format(id=escalation.id))
        self.ui.introLabel.setText(
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
        self.by_edit = self.ui.byEdit
        self.when_edit = self.ui.whenEdit
        self.when_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(now.timestamp())))
        self.note_edit = self.ui.noteEdit
        self.message_label = self.ui.messageLabel
        set_message(self.message_label, "")
        buttons = self.ui.buttonBox
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText(self.tr("Record acknowledgement"))
        self.ok_button.setEnabled(False)
        self.by_edit.textChanged.connect(lambda text: self.ok_button.setEnabled(bool(text.strip())))
        buttons.accepted.connect(self._submit)
        buttons.rejected.connect(self.reject)
        ctrl_enter(self, self._submit)
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
        self.ui = Ui_WaitingDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.escalations: list[EscalationView] = []
        self.summary_label = self.ui.waitingSummary
        self.table = self.ui.waitingTable
        self.table.setColumnCount(len(self.HEADERS))
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in self.HEADERS])
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)
        # Tab leaves the table for the buttons (the form turns the table's tab keys off);
        # Enter, Ctrl+Enter or Alt+A acknowledges the escalation chosen
        self.table.activated.connect(lambda _index: self._acknowledge())
        self.ack_button = self.ui.ackButton
        self.ack_button.clicked.connect(self._acknowledge)
        self.refresh_button = self.ui.refreshButton
        self.refresh_button.clicked.connect(self.refresh_requested.emit)
        self.ui.closeButton.clicked.connect(self.close)
        ctrl_enter(self, self._acknowledge)
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
