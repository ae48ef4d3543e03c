"""Supervisor → Retention review…: the due batch, cases to hold back, legal holds.

Also the daily check that says when a batch waits, and the check for ended public appeals.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QHeaderView, QListWidgetItem, QWidget

from desk.core.retention import CASE_RECORD_CLASSES, AppealDone, HoldTarget, RecordClass
from desk.core.roles import Action
from desk.gui.case_dialogs import TextEntryDialog
from desk.gui.case_records_actions import CaseRecordActions
from desk.gui.forms.ui_main_window import Ui_MainWindow
from desk.gui.forms.ui_retention_window import Ui_RetentionWindow
from desk.gui.hold_dialogs import AuthorHoldDialog
from desk.gui.operations import ChangeOp, QueryOp
from desk.gui.poller import Poller
from desk.gui.screen_fit import fit_to_screen
from desk.gui.shell import Shell
from desk.gui.table_rows import fill_rows
from desk.services.retention import AppealView, BatchView, DueBatch, HoldView, RunReport

_CONTEXT = "RetentionReview"
DUE_HEADERS = ("Class", "Rule", "Due", "Oldest", "Held", "Sample")
HOLD_HEADERS = ("Hold", "On", "Placed by", "Since", "Reason")
APPEAL_HEADERS = ("Appeal", "Case", "Ends", "State", "Marked by", "Note or link")
CLASS_NAMES = {
    RecordClass.UNACTIONED: "Cases never actioned",
    RecordClass.ACTIONED: "Actioned cases",
    RecordClass.ESCALATED: "Escalated cases",
    RecordClass.MODERATION: "Moderation records",
    RecordClass.REPLIES: "Replies",
    RecordClass.HANDOVERS: "Handovers",
    RecordClass.SIGNINS: "Sign-in records",
    RecordClass.AUDIT: "Audit log (oldest entries)",
    RecordClass.BACKUPS: "Backups",
}
Loaded = tuple[DueBatch, BatchView | None, list[HoldView], list[AppealView]]
DAY_MS = 24 * 60 * 60 * 1000
APPEAL_MS = 60 * 60 * 1000


def _tr(text: str) -> str:
    return QCoreApplication.translate(_CONTEXT, text)


def _day(moment: datetime | None) -> str:
    return "—" if moment is None else moment.astimezone().strftime("%d %b %Y")


class RetentionWindow(QDialog):
    """List the due batch, tick cases to hold back, approve it, run the approved batch."""

    loaded = Signal()

    def __init__(self, shell: Shell, parent: QWidget | None = None) -> None:
        super().__init__(parent or shell.window)
        self.shell = shell
        self.due: DueBatch | None = None
        self.waiting: BatchView | None = None
        self.ui = Ui_RetentionWindow()
        self.ui.setupUi(self)  # type: ignore[no-untyped-call]  # generated code
        self.setObjectName("retentionWindow")
        ui = self.ui
        self.holds: list[HoldView] = []
        self.appeals: list[AppealView] = []
        tables = (
            (ui.dueTable, DUE_HEADERS),
            (ui.holdsTable, HOLD_HEADERS),
            (ui.appealsTable, APPEAL_HEADERS),
        )
        for table, headers in tables:
            table.setColumnCount(len(headers))
            table.setHorizontalHeaderLabels([_tr(h) for h in headers])
            table.verticalHeader().setVisible(False)
            header = table.horizontalHeader()
            header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
            # the last column (a reason, a note) takes the room left; long text is elided
            header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
        fit_to_screen(self, 1000, 680)
        ui.refreshButton.clicked.connect(self.reload)
        ui.approveButton.clicked.connect(self.approve)
        ui.runButton.clicked.connect(self.run_batch)
        ui.closeButton.clicked.connect(self.close)
        ui.holdCaseButton.clicked.connect(self.hold_case)
        ui.holdAuthorButton.clicked.connect(self.hold_author)
        ui.liftHoldButton.clicked.connect(self.lift_hold)
        ui.appealRemovedButton.clicked.connect(lambda: self.appeal_done(AppealDone.REMOVED))
        ui.appealArchivedButton.clicked.connect(lambda: self.appeal_done(AppealDone.ARCHIVED))
        ui.casesList.currentRowChanged.connect(lambda _row: self._set_buttons())
        ui.holdsTable.itemSelectionChanged.connect(self._set_buttons)
        ui.appealsTable.itemSelectionChanged.connect(self._set_buttons)
        self._set_buttons()

    # reading -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the due batch, the approved batch waiting, and the holds."""
        token, desk = self.shell.token, self.shell.desk
        self.ui.retentionState.setText(self.tr("Reading…"))

        sees_cases = self.shell.can(Action.VIEW_QUEUE)

        def fetch() -> Loaded:
            return (
                desk.retention.due(token),
                desk.retention.waiting(token),
                desk.retention.holds(token),
                desk.retention.appeals(token) if sees_cases else [],
            )

        QueryOp(self.shell, fetch).success(self._loaded).run()

    def _loaded(self, answer: Loaded) -> None:
        self.due, self.waiting, self.holds, self.appeals = answer
        holds = self.holds
        rows = [
            (
                _tr(CLASS_NAMES[c.record_class]),
                c.rule.code.partition("=")[2],
                str(c.count),
                _day(c.oldest) if c.count else "",
                str(c.held) if c.held else "",
                ", ".join(str(x) for x in c.sample),
            )
            for c in self.due.classes
        ]
        fill_rows(self.ui.dueTable, rows)
        self.ui.casesList.clear()
        for c in self.due.classes:
            if c.record_class not in CASE_RECORD_CLASSES:
                continue
            for case_id in c.ids:
                item = QListWidgetItem(
                    self.tr("Case #{id} ({what})").format(
                        id=case_id, what=_tr(CLASS_NAMES[c.record_class])
                    )
                )
                item.setData(Qt.ItemDataRole.UserRole, case_id)
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                item.setCheckState(Qt.CheckState.Unchecked)
                self.ui.casesList.addItem(item)
        fill_rows(
            self.ui.holdsTable,
            [
                (
                    f"#{h.id}",
                    self._held(h),
                    h.placed_by,
                    _day(h.placed_at),
                    h.reason,
                )
                for h in holds
            ],
        )
        now = self.shell.now()
        fill_rows(
            self.ui.appealsTable,
            [
                (
                    f"#{a.id}",
                    f"#{a.case_id}",
                    _day(a.ends_at),
                    self._appeal_state(a, now),
                    a.marked_by,
                    a.note,
                )
                for a in self.appeals
            ],
        )
        self.ui.retentionState.setText(self._state_text())
        self._set_buttons()
        self.loaded.emit()

    def _held(self, hold: HoldView) -> str:
        if hold.target is HoldTarget.AUTHOR:
            return self.tr("author {name}").format(name=hold.target_name or hold.target_id)
        return self.tr("case {id}").format(id=hold.target_id)

    def _appeal_state(self, appeal: AppealView, now: datetime) -> str:
        if appeal.done_at is not None:
            return self.tr("{how} by {who} on {day}").format(
                how=appeal.done_how.value if appeal.done_how else "",
                who=appeal.done_by,
                day=_day(appeal.done_at),
            )
        if appeal.overdue(now):
            return self.tr("Ended: remove or archive it")
        return self.tr("Running")

    def _state_text(self) -> str:
        assert self.due is not None
        parts = []
        if self.due.total:
            parts.append(
                self.tr("1 record is due for review.")
                if self.due.total == 1
                else self.tr("{n} records are due for review.").format(n=self.due.total)
            )
        else:
            parts.append(self.tr("Nothing is due."))
        if self.waiting is not None:
            parts.append(
                self.tr("Batch #{id}, approved by {who}, waits to be run.").format(
                    id=self.waiting.id, who=self.waiting.approved_by
                )
            )
        return " ".join(parts)

    def _set_buttons(self) -> None:
        ui = self.ui
        ui.approveButton.setEnabled(bool(self.due and self.due.total))
        ui.runButton.setEnabled(self.waiting is not None)
        can_hold = self.shell.can(Action.MANAGE_HOLDS)
        ui.holdCaseButton.setEnabled(can_hold and self._chosen_case() is not None)
        ui.holdAuthorButton.setEnabled(can_hold)
        ui.liftHoldButton.setEnabled(can_hold and self._chosen_hold() is not None)
        appeal = self._chosen_appeal()
        chosen_appeal = (
            appeal is not None and appeal.done_at is None and self.shell.can(Action.WORK_CASES)
        )
        ui.appealRemovedButton.setEnabled(chosen_appeal)
        ui.appealArchivedButton.setEnabled(chosen_appeal)

    def _chosen_case(self) -> int | None:
        item = self.ui.casesList.currentItem()
        return None if item is None else int(item.data(Qt.ItemDataRole.UserRole))

    def _chosen_hold(self) -> HoldView | None:
        row = self.ui.holdsTable.currentRow()
        picked = self.ui.holdsTable.selectionModel().hasSelection()
        return self.holds[row] if picked and 0 <= row < len(self.holds) else None

    def _chosen_appeal(self) -> AppealView | None:
        row = self.ui.appealsTable.currentRow()
        picked = self.ui.appealsTable.selectionModel().hasSelection()
        return self.appeals[row] if picked and 0 <= row < len(self.appeals) else None

    def held_back(self) -> list[int]:
        """The case ids ticked to be held back from this batch."""
        found = []
        for row in range(self.ui.casesList.count()):
            item = self.ui.casesList.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                found.append(int(item.data(Qt.ItemDataRole.UserRole)))
        return found

    # changing ------------------------------------------------------------------------------

    def approve(self) -> None:
        """Approve the listed batch, holding back the ticked cases."""
        if self.due is None:
            return
        token, desk, due, hold = self.shell.token, self.shell.desk, self.due, self.held_back()

        def said(batch: BatchView) -> str:
            return self.tr("Approved retention batch #{id} ({n} records).").format(
                id=batch.id, n=sum(batch.counts.values())
            )

        op = ChangeOp(self.shell, lambda: desk.retention.approve(token, due, hold_ids=hold))
        op.done(said).success(lambda _b: self.reload()).run()

    def run_batch(self) -> None:
        """Run the approved batch: its records are deleted or anonymised."""
        token, desk = self.shell.token, self.shell.desk

        def said(report: RunReport) -> str:
            n = sum(report.counts.values())
            text = (
                self.tr("Retention batch #{id} ran: 1 record deleted or anonymised.")
                if n == 1
                else self.tr("Retention batch #{id} ran: {n} records deleted or anonymised.")
            )
            return text.format(id=report.batch_id, n=n)

        op = ChangeOp(self.shell, lambda: desk.retention.run(token), many=True)
        op.done(said).success(lambda _r: self.reload()).run()

    def _with_reason(self, title: str, prompt: str, ok: str, call: Callable[[str], object]) -> None:
        dialog = TextEntryDialog(title, prompt, ok, self)
        dialog.submitted.connect(
            lambda text: (
                ChangeOp(self.shell, lambda: call(text), many=True)  # the case pane shows holds
                .in_dialog(dialog)
                .success(lambda _r: self.reload())
                .run()
            )
        )
        self.shell.open_dialog(dialog, "retentionReasonDialog")

    def hold_case(self) -> None:
        """Place a legal hold on the case selected in the batch list (asks the reason)."""
        case_id = self._chosen_case()
        if case_id is None:
            return
        token, desk = self.shell.token, self.shell.desk
        self._with_reason(
            self.tr("Legal hold on case #{id}").format(id=case_id),
            self.tr("Why is the case held (the order, request or claim)?"),
            self.tr("Place hold"),
            lambda reason: desk.retention.add_hold(token, HoldTarget.CASE, case_id, reason),
        )

    def hold_author(self) -> AuthorHoldDialog:
        """Ask for an author's handle and platform and the reason, then hold their records."""
        dialog = AuthorHoldDialog(self)
        token, desk = self.shell.token, self.shell.desk

        def said(hold: HoldView) -> str:
            return self.tr("Legal hold #{id} placed on {name}'s records.").format(
                id=hold.id, name=hold.target_name or dialog.handle.strip()
            )

        dialog.submitted.connect(
            lambda platform, handle, reason: (
                ChangeOp(
                    self.shell,
                    lambda: desk.retention.hold_author(token, platform, handle, reason),
                    many=True,  # the case pane shows holds
                )
                .done(said)
                .in_dialog(dialog)
                .success(lambda _r: self.reload())
                .run()
            )
        )
        self.shell.open_dialog(dialog, "authorHoldDialog")
        return dialog

    def lift_hold(self) -> None:
        """Lift the selected legal hold (asks the reason)."""
        hold = self._chosen_hold()
        if hold is None:
            return
        token, desk = self.shell.token, self.shell.desk
        self._with_reason(
            self.tr("Lift legal hold #{id}").format(id=hold.id),
            self.tr("Why is the hold lifted?"),
            self.tr("Lift hold"),
            lambda reason: desk.retention.lift_hold(token, hold.id, reason),
        )

    def appeal_done(self, how: AppealDone) -> None:
        """Record that the selected ended appeal was removed or archived on the platform."""
        appeal = self._chosen_appeal()
        if appeal is None:
            return
        token, desk = self.shell.token, self.shell.desk
        done = self.tr("Public appeal #{id} recorded as {how}.").format(id=appeal.id, how=how.value)
        op = ChangeOp(
            self.shell, lambda: desk.retention.appeal_done(token, appeal.id, how), appeal.case_id
        )
        op.done(done).success(lambda _r: self.reload()).run()


class RetentionActions(QObject):
    """Supervisor → Retention review…; the daily due check and the hourly appeals check."""

    def __init__(self, shell: Shell, ui: Ui_MainWindow) -> None:
        super().__init__(shell)
        self.shell = shell
        self.window: RetentionWindow | None = None
        self._told_due = -1
        self._told_appeals: set[int] = set()
        self.action = QAction(self.tr("&Retention review…"), shell.window)
        self.action.setObjectName("actionRetentionReview")
        self.action.setStatusTip(
            self.tr("Review and approve the records due for deletion or anonymisation")
        )
        ui.menuSupervisor.addAction(self.action)
        shell.guard(self.action, Action.REVIEW_RETENTION)
        self.action.triggered.connect(self.open_review)
        desk = shell.desk
        self.due_poller = Poller(
            shell,
            "retention due",
            DAY_MS,
            lambda: desk.retention.due(shell.token),
            self._due_checked,
            when=lambda: shell.can(Action.REVIEW_RETENTION),
        )
        self.appeal_poller = Poller(
            shell,
            "appeals ended",
            APPEAL_MS,
            lambda: desk.retention.appeals(shell.token, ended_only=True),
            self._appeals_checked,
            when=lambda: shell.can(Action.WORK_CASES),
        )
        self.due_poller.start()
        self.appeal_poller.start()
        self.case_records = CaseRecordActions(shell, ui)  # Case → public appeal, author hold

    def open_review(self) -> RetentionWindow:
        """Open (or bring forward) the retention review and read it."""
        if self.window is None:
            self.window = RetentionWindow(self.shell)
        self.window.show()
        self.window.raise_()
        self.window.activateWindow()
        self.window.reload()
        return self.window

    def _due_checked(self, due: DueBatch) -> None:
        if due.total and due.total != self._told_due:
            text = (
                self.tr(
                    "1 record is past its retention period and waits for review: "
                    "Supervisor → Retention review…"
                )
                if due.total == 1
                else self.tr(
                    "{n} records are past their retention period and wait for review: "
                    "Supervisor → Retention review…"
                ).format(n=due.total)
            )
            self.shell.notify(text, to_do=True)
        self._told_due = due.total

    def _appeals_checked(self, appeals: list[AppealView]) -> None:
        for appeal in appeals:
            if appeal.id in self._told_appeals:
                continue
            self._told_appeals.add(appeal.id)
            self.shell.notify(
                self.tr(
                    "Public appeal on case #{case} ended {when}: remove or archive it on the "
                    "platform, then record it in Supervisor → Retention review… (or desk-admin "
                    "appeal done {id} removed|archived)."
                ).format(case=appeal.case_id, when=_day(appeal.ends_at), id=appeal.id),
                to_do=True,
            )
