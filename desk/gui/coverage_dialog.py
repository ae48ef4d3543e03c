"""Supervisor → Coverage log…: periods the desk was not monitored, and recording a new one."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QDateTime, Signal
from PySide6.QtWidgets import QDateTimeEdit, QDialog, QHeaderView, QWidget

from desk.core.errors import DeskError
from desk.core.handover import COVERAGE_LABELS, CoverageReason
from desk.core.items import Platform
from desk.core.roles import Action, role_name
from desk.gui.formatting import local_time
from desk.gui.forms.ui_coverage_dialog import Ui_CoverageDialog
from desk.gui.messages import set_message
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.plain_text import plain_tip
from desk.gui.screen_fit import fit_to_screen
from desk.gui.shell import Shell
from desk.gui.table_rows import fill_rows
from desk.services.coverage import CoverageView

HEADERS = ("From", "To", "Reason", "Platform", "Risk accepted", "Recorded by")
COL_RISK = 4


class CoverageDialog(QDialog):
    """The coverage log: periods the desk was not monitored, and recording a new one."""

    recorded = Signal()  # a period was recorded (and the list read again)

    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent or shell.window)
        self.ui = Ui_CoverageDialog()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setObjectName("coverageDialog")
        self.shell = shell
        self.desk = shell.desk
        ui = self.ui
        self.table = ui.table
        self.table.setObjectName("coverageTable")
        self.table.setColumnCount(len(HEADERS))
        self.table.setHorizontalHeaderLabels([self.tr(h) for h in HEADERS])
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COL_RISK, QHeaderView.ResizeMode.Stretch)
        self.from_edit, self.to_edit = ui.fromEdit, ui.toEdit
        now = QDateTime.fromSecsSinceEpoch(int(shell.now().timestamp()))
        for edit in (self.from_edit, self.to_edit):
            edit.setDateTime(now)
        self.reason_combo = ui.reasonCombo
        for reason in CoverageReason:
            self.reason_combo.addItem(self.tr(COVERAGE_LABELS[reason]), reason.value)
        self.platform_combo = ui.platformCombo
        self.platform_combo.addItem(self.tr("(all platforms)"), None)
        for platform in Platform:
            self.platform_combo.addItem(platform.value, platform.value)
        self.risk_edit = ui.riskEdit
        self.message_label = ui.messageLabel
        set_message(self.message_label, "")
        self.record_button = ui.recordButton
        self.record_button.setObjectName("recordCoverageButton")
        allowed = shell.can(Action.RECORD_COVERAGE)
        self.record_button.setEnabled(allowed)
        if not allowed:
            self.record_button.setToolTip(
                self.tr("Your role ({role}) does not record coverage gaps.").format(
                    role=role_name(shell.actor.role)
                )
            )
        self.record_button.clicked.connect(self.record)
        ui.closeButton.clicked.connect(self.close)
        fit_to_screen(self, 900, 560)

    @staticmethod
    def _moment(edit: QDateTimeEdit) -> datetime:
        return datetime.fromtimestamp(edit.dateTime().toSecsSinceEpoch(), UTC)

    def set_period(self, start: datetime, end: datetime) -> None:
        """Put a period in the form (tests and callers that know it)."""
        self.from_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(start.timestamp())))
        self.to_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(end.timestamp())))

    def refresh(self) -> None:
        """List the recorded periods, newest first (read off the GUI thread)."""
        desk, token = self.desk, self.shell.token
        QueryOp(self.shell, lambda: desk.coverage.list(token)).success(self._list).run()

    def _list(self, periods: list[CoverageView]) -> None:
        rows = fill_rows(
            self.table,
            [
                [
                    local_time(p.starts_at),
                    local_time(p.ends_at),
                    self.tr(COVERAGE_LABELS[p.reason]),
                    p.platform or "",
                    p.risk_accepted,
                    p.recorded_by,
                ]
                for p in periods
            ],
        )
        for cell in (cell for row in rows for cell in row):
            cell.setToolTip(plain_tip(cell.text()) or "")

    def record(self) -> None:
        """Record the period in the form; say what is wrong inside the dialog otherwise."""
        desk, token = self.desk, self.shell.token
        start, end = self._moment(self.from_edit), self._moment(self.to_edit)
        reason = str(self.reason_combo.currentData())
        platform = self.platform_combo.currentData()
        risk = self.risk_edit.toPlainText()
        ChangeOp(
            self.shell, lambda: desk.coverage.record(token, start, end, reason, platform, risk)
        ).done(self.tr("Coverage gap recorded.")).success(self._recorded).failure(
            self._refused
        ).run()

    def _refused(self, exc: DeskError) -> None:
        set_message(self.message_label, exc.message)

    def _recorded(self, _result: object) -> None:
        set_message(self.message_label, self.tr("Recorded."), "info")
        self.risk_edit.clear()
        self.refresh()
        self.recorded.emit()
